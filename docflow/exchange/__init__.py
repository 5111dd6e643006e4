"""The exchange between nodes: signed XML messages carrying 公文 and their receipts (回执).

Pure code only: building and parsing the envelope, node signatures (JWS), the node directory, the ordered
receive checks, receipts and the retry schedule. The outbox, the inbox and the HTTP endpoint that call these
live elsewhere; they call:
- the outbox: `outgoing.prepare_outgoing` at dispatch, `retry.next_attempt_at` after a failed attempt,
  `receive.check_incoming` + `outgoing.confirm_delivery` on the answer;
- the HTTP endpoint: `receive.check_incoming` (its refusals are `errors.REFUSALS`, each with a stable `code`),
  then `receipts.receipt_for` + `receipts.build_receipt` + `signing.NodeKeyring.sign` for the 送达 receipt;
- the administrators' screens: `directory.import_directory` / `export_directory`, `signing.NodeKeyring`.
"""
