"""Pure rules of outgoing documents (发文): elements, body, 发文字号 and the workflow engine.

Nothing in this package performs I/O or touches a database: use cases load rows into these values,
call one function and persist what comes back. Import from the submodules; this package
deliberately re-exports nothing, so each caller names the module whose rules it relies on.

- `elements`, `elements_codec`: the 18 elements + 文种/公文标识/发布层次, validation, plain data,
  the canonical bytes a seal signs.
- `doc_number`: 发文字号 `{代字}〔YYYY〕n号`.
- `body`, `body_diff`: the structured 正文 (一、 （一） 1. （1）) and the version comparison.
- `workflow_definition`: a unit's steps, holders, deadlines and 会签 policy.
- `workflow_state`, `workflow_commands`, `workflow_events`, `workflow_errors`: the values.
- `workflow_table`: `(DocState, Action) -> Move`; `workflow.apply` runs it (handlers in
  `workflow_forward`, `workflow_backward`, `workflow_task_actions`; helpers in `workflow_steps`,
  `workflow_outcome`).
- `delegation` (委托) and `deadlines` (overdue / near-deadline reminders).
"""
