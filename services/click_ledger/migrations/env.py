import trickle_kit.tables  # noqa: F401  (registers the outbox/inbox/idempotency tables on KitBase.metadata)
from trickle_click_ledger.models import Base
from trickle_click_ledger.settings import Settings
from trickle_kit.migrations import run_env

run_env(Base.metadata, Settings().database_url)
