"""The inspections API (DOMAIN §8): plans, the team's workflow, findings with their sanctions,
recommendations with their clocks, and the registry of inspected subjects.

`inputs` holds what it accepts, `outputs` how it shows an inspection, `views` the viewsets;
`common` what they share (the documented errors, the enumerations' names).
"""
