"""The audit trail: one append-only, hash-chained table written in the same transaction.

Domains do not write audit rows themselves: a flush hook (``tracking``) records every insert,
update and delete of a tracked model, and ``record`` adds events that are not row changes
(an export, a login). ``set_actor`` tells the hook who is acting.
"""

from app.audit.chain import VerifyResult, verify_chain
from app.audit.tracking import record, set_actor, system_actor

__all__ = ["VerifyResult", "record", "set_actor", "system_actor", "verify_chain"]
