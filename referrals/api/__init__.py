"""The referrals API (DOMAIN §6): the agency's inbox, the commune's outbox, and each referral's
workflow (referrals/workflow.py) under `…/transitions/`.

`inputs` holds what it accepts, `outputs` how it shows a referral, `views` the viewset.
"""
