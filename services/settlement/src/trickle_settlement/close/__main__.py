"""Run a period close from the command line: ``python -m trickle_settlement.close run 2026-11``.

``start`` also starts an open period (as the operator endpoint does) before running it.
The run is resumable: run it again after a crash and it continues where it stopped. Any number
of these (and of workers' close runners) may run one period at once: they share its shards.
"""

from __future__ import annotations

import argparse

from trickle_kit.batch_process import run_batch_process
from trickle_kit.db import make_engine, make_sessionmaker
from trickle_kit.logs import configure_logging
from trickle_settlement.close.config import CloseConfig
from trickle_settlement.close.gate import CloseNotStartable, start_close
from trickle_settlement.close.service import run_close
from trickle_settlement.settings import Settings


async def _main(args: argparse.Namespace) -> int:
    settings = Settings(**({"database_url": args.database_url} if args.database_url else {}))
    configure_logging(settings.service_name, settings.log_level, settings.log_json)
    engine = make_engine(settings.database_url, application_name="settlement-close", pool_size=2)
    sessions = make_sessionmaker(engine)
    config = CloseConfig.from_settings(settings, batch_patrons=args.batch, shards=args.shards)
    try:
        if args.command == "start":
            async with sessions() as session, session.begin():
                try:
                    await start_close(session, args.period, "cli")
                except CloseNotStartable as exc:
                    print(f"not started: {exc}")
        row = await run_close(sessions, args.period, config)
        print(f"{row.period}: {row.status}, {row.patrons_settled} patrons settled, spent {row.total_spent}")
        return 0 if row.status == "closed" else 1
    finally:
        await engine.dispose()


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m trickle_settlement.close", description=__doc__)
    parser.add_argument("command", choices=["run", "start"])
    parser.add_argument("period", help="YYYY-MM")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--batch", type=int, default=None, help="patrons per transaction")
    parser.add_argument("--shards", type=int, default=None, help="shards to cut the close into (if not cut yet)")
    return parser


def main(argv: list[str] | None = None) -> None:
    raise SystemExit(run_batch_process(_main(parser().parse_args(argv))))


if __name__ == "__main__":
    main()
