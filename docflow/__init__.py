"""Official documents: drafting, workflow, numbering, seals, distribution, incoming handling, exchange."""
