from trickle_kit.migrations import run_env
from trickle_webhook.models import Base
from trickle_webhook.settings import Settings

run_env(Base.metadata, Settings().database_url)
