-- Run once by the postgres image on an empty data directory (/docker-entrypoint-initdb.d):
-- one database per service; each service's migrations create its schema.
CREATE DATABASE trickle_wallet;
CREATE DATABASE trickle_click_ledger;
CREATE DATABASE trickle_settlement;
CREATE DATABASE trickle_webhook;
CREATE DATABASE trickle_web;
