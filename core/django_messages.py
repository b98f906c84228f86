"""Django's own messages whose Vietnamese, in Django's catalogue, reads wrongly.

"Enter a whole number." came out as "Nhập một số tổng thể." ("a number of the whole"), and the
limits of a number ended in " ." with a space before the full stop. Listed here for `make
messages` to extract and translated in `locale/vi`, which Django reads before its own catalogue.
"""

from django.utils.translation import gettext_noop

CORRECTED_MESSAGES = (
    gettext_noop("Enter a whole number."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
)
