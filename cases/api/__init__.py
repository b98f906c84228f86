"""The cases API (DOMAIN §4–5): intake, the list and the record, and the Decree 56 workflow.

`inputs` holds what it accepts, `outputs` how it shows a case, `views` the viewsets.
"""
