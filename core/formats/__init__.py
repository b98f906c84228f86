"""Dates as people in Vietnam write them, in both languages: day first, dd/mm/yyyy (British
English agrees). Django reads a language's formats from `<FORMAT_MODULE_PATH>.<lang>.formats`;
both languages' modules take theirs from here, and the web forms' date fields (core/forms.py) use
the same lists whatever the language.

ISO dates (yyyy-mm-dd, and yyyy-mm-ddThh:mm for times) are still accepted: the API, the links
and older clients send them. A day-first date cannot be mistaken for one: `%Y` needs four digits.
"""

DATE_FIRST_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
DATE_INPUT_FORMATS = [*DATE_FIRST_INPUT_FORMATS, "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    *(f"{day} {time}" for day in DATE_INPUT_FORMATS for time in ("%H:%M", "%H:%M:%S")),
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
]

# What a form's text box shows (strftime) and what a template shows (the `date` filter's letters).
DATE_WIDGET_FORMAT = "%d/%m/%Y"
DATETIME_WIDGET_FORMAT = "%d/%m/%Y %H:%M"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
