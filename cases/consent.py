"""The ground on which a child's case may be shared with another agency (Law on Children Art. 21
and 33; Decree 56/2017 Art. 26 for the emergency)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import ConsentBasis
from cases.models import Child

CHILD_CONSENT_AGE = 7  # a child of 7 or more is asked too


@dataclass(frozen=True)
class Consent:
    basis: str
    by_carer: bool = False
    by_child: bool = False


def check_consent(consent: Consent, child: Child) -> None:
    if consent.basis not in ConsentBasis.values:
        raise ValidationError({"consent_basis": [_("Say on what ground the case is shared.")]})
    if consent.basis != ConsentBasis.CONSENT:
        return
    if not consent.by_carer:
        raise ValidationError({"consent_by_carer": [_("The carer's consent must be recorded.")]})
    age = child.age_on(timezone.localdate())
    if age is not None and age >= CHILD_CONSENT_AGE and not consent.by_child:
        raise ValidationError(
            {"consent_by_child": [_("A child of 7 or more must consent too (Law on Children).")]}
        )
