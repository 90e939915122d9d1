"""Pages that gather the other apps: each person's start page, the assessor's dashboard of a
cycle with its export of answers, and the demo province. Nothing below imports it."""
