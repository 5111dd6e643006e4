"""The demo county: a realistic 象山县 with its towns, sub-districts and departments, and people in every role."""
