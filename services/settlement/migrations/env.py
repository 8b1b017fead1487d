from trickle_kit.migrations import run_env
from trickle_settlement.models import Base
from trickle_settlement.settings import Settings

run_env(Base.metadata, Settings().database_url)
