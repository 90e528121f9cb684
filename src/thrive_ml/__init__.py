"""thrive-ml: suggests THRIVE groupings for children's wellbeing referrals.

A suggestion is never a decision: a person always decides, and the safety rules send every
referral that mentions a risk to a person whatever the model says.
"""

__version__ = "0.1.0"
