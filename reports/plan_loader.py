"""Loads a plan's part III ("TỔ CHỨC THỰC HIỆN": each agency and its tasks) from its text and a
small description file, so another plan can be loaded the same way."""

import json
import re
from pathlib import Path

from django.db import transaction

from core.models import Unit
from reports.models import Plan, PlanSection, PlanTask

DATA_DIR = Path(__file__).resolve().parent / "data"
SECTION = re.compile(r"^(\d+)\.\s+(.*)$")
PART = re.compile(r"^([IVX]+)\.\s")
END = "Trên đây là"


def parse(text: str, part: str) -> list[tuple[int, str, list[str]]]:
    """[(section number, section title, [tasks])] of the given part of the plan."""
    sections: list[tuple[int, str, list[str]]] = []
    inside = False
    current_lines: list[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        roman = PART.match(line)
        if roman:
            inside = roman.group(1) == part
            continue
        if not inside or not line:
            continue
        if line.startswith(END):
            break
        numbered = SECTION.match(line)
        if numbered:
            sections.append((int(numbered.group(1)), numbered.group(2), []))
            current_lines = None
        elif line.startswith("- ") and sections:
            current_lines = [line[2:]]
            sections[-1][2].append("")
        elif current_lines is None and sections and not sections[-1][2]:
            number, title, tasks = sections[-1]
            sections[-1] = (number, f"{title} {line}", tasks)
            continue
        elif current_lines is not None:
            current_lines.append(line)
        if current_lines is not None and sections and sections[-1][2]:
            sections[-1][2][-1] = " ".join(current_lines)
    # A section with no listed task (III.11 asks the Fatherland Front to act) is its own task.
    return [(n, title, tasks or [title]) for n, title, tasks in sections]


@transaction.atomic
def load_plan(description: Path) -> Plan:
    spec = json.loads(description.read_text(encoding="utf-8"))
    text = (description.parent / spec["text"]).read_text(encoding="utf-8")
    plan, _created = Plan.objects.update_or_create(
        code=spec["code"],
        defaults={
            "title": spec["title"],
            "issued_on": spec["issued_on"],
            "consolidated_by": spec["consolidated_by"],
            "province": province(spec.get("province", "")),
        },
    )
    for number, title, tasks in parse(text, spec["part"]):
        section, _created = PlanSection.objects.update_or_create(
            plan=plan,
            number=number,
            defaults={"title": title, "agency_kinds": spec["sections"].get(str(number), [])},
        )
        for index, task in enumerate(tasks, start=1):
            described = spec["tasks"].get(f"{number}.{index}", {})
            PlanTask.objects.update_or_create(
                section=section,
                number=index,
                defaults={
                    "text": task,
                    "figures": described.get("figures", []),
                    "coordinating": described.get("coordinating", []),
                },
            )
    return plan


def province(reference: str) -> Unit | None:
    """ "2020:37" → the province of code 37 in the 2020 structure (None when not loaded)."""
    structure, _sep, code = reference.partition(":")
    return Unit.objects.filter(structure=structure, code=code).first() if code else None
