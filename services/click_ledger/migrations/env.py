from trickle_click_ledger.models import Base
from trickle_click_ledger.settings import Settings
from trickle_kit.migrations import run_env

run_env(Base.metadata, Settings().database_url)
