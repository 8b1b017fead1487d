from trickle_kit.migrations import run_env
from trickle_wallet.models import Base
from trickle_wallet.settings import Settings

run_env(Base.metadata, Settings().database_url)
