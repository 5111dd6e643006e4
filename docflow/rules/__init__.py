"""Pure rules of outgoing documents (发文): elements, body, 发文字号 and the workflow engine.

Nothing in this package performs I/O or touches a database: use cases load rows into these values,
call one function (`validate_elements`, `parse_doc_number`, `workflow.apply`, …) and persist what
comes back. Import from the submodules; this package deliberately re-exports nothing, so each
caller names the module whose rules it relies on.
"""
