from trickle_kit.migrations import run_env
from trickle_web.models import Base, load_all_models
from trickle_web.settings import Settings

load_all_models()
run_env(Base.metadata, Settings().database_url)
