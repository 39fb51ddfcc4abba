// SPDX-License-Identifier: MIT
#include "store/schema.h"

#include "store/database.h"
#include "store/statement.h"
#include "store/transaction.h"

#include <QStringList>

#include <array>

namespace mlwb {

namespace {

// Migration N turns a version N-1 file into version N; migration 1 creates the first schema.
// Never edit a released migration: add a new one.
const std::array kMigrations = {
    // 1: foundation. Datasets, models and versions, runs with metric series, checkpoints and
    // artifacts; leases show who has the file open.
    R"sql(
CREATE TABLE meta(
  key   TEXT PRIMARY KEY,
  value TEXT
);
CREATE TABLE lease(
  id        INTEGER PRIMARY KEY,
  user      TEXT NOT NULL,
  host      TEXT NOT NULL,
  pid       INTEGER NOT NULL,
  mode      TEXT NOT NULL CHECK (mode IN ('write', 'read')),
  program   TEXT NOT NULL,
  started   REAL NOT NULL,
  heartbeat REAL NOT NULL
);
CREATE TABLE dataset(
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  created_at    REAL NOT NULL,
  source_path   TEXT,
  content_hash  TEXT NOT NULL,
  row_count     INTEGER NOT NULL,
  column_count  INTEGER NOT NULL,
  schema_json   TEXT NOT NULL,
  data          BLOB NOT NULL
);
CREATE TABLE model(
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL CHECK (kind IN ('spec', 'torchscript')),
  dataset_id  INTEGER REFERENCES dataset(id) ON DELETE SET NULL,
  created_at  REAL NOT NULL,
  description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE model_version(
  id          INTEGER PRIMARY KEY,
  model_id    INTEGER NOT NULL REFERENCES model(id) ON DELETE CASCADE,
  version     INTEGER NOT NULL,
  created_at  REAL NOT NULL,
  spec_json   TEXT,
  torchscript BLOB,
  UNIQUE (model_id, version)
);
CREATE TABLE run(
  id               INTEGER PRIMARY KEY,
  model_version_id INTEGER NOT NULL REFERENCES model_version(id) ON DELETE CASCADE,
  dataset_id       INTEGER REFERENCES dataset(id) ON DELETE SET NULL,
  name             TEXT NOT NULL DEFAULT '',
  status           TEXT NOT NULL
                   CHECK (status IN ('queued', 'running', 'finished', 'failed', 'interrupted')),
  hyperparams_json TEXT NOT NULL DEFAULT '{}',
  created_at       REAL NOT NULL,
  started_at       REAL,
  finished_at      REAL,
  message          TEXT NOT NULL DEFAULT '',
  owner_lease      INTEGER,
  summary_json     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX run_by_model_version ON run(model_version_id);
CREATE TABLE metric_key(
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
-- Keyed on (run, key, step) without a rowid: smaller and a series is one range scan.
CREATE TABLE metric(
  run_id INTEGER NOT NULL,
  key_id INTEGER NOT NULL,
  step   INTEGER NOT NULL,
  wall   REAL NOT NULL,
  value  REAL,
  PRIMARY KEY (run_id, key_id, step)
) WITHOUT ROWID;
-- Latest value per (run, key), kept by the logger: scanning metric for these is slow.
CREATE TABLE metric_latest(
  run_id INTEGER NOT NULL,
  key_id INTEGER NOT NULL,
  step   INTEGER NOT NULL,
  wall   REAL NOT NULL,
  value  REAL,
  PRIMARY KEY (run_id, key_id)
) WITHOUT ROWID;
CREATE TABLE checkpoint(
  id         INTEGER PRIMARY KEY,
  run_id     INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
  tag        TEXT NOT NULL,
  step       INTEGER NOT NULL,
  epoch      INTEGER NOT NULL,
  created_at REAL NOT NULL,
  data       BLOB NOT NULL,
  UNIQUE (run_id, tag)
);
CREATE TABLE artifact(
  id         INTEGER PRIMARY KEY,
  run_id     INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  mime       TEXT NOT NULL,
  created_at REAL NOT NULL,
  data       BLOB NOT NULL,
  UNIQUE (run_id, name)
);
)sql",
    // 2: model development. Stored splits, sweeps grouping runs, evaluation results per run,
    // dataset and split.
    R"sql(
CREATE TABLE dataset_split(
  dataset_id INTEGER PRIMARY KEY REFERENCES dataset(id) ON DELETE CASCADE,
  seed       INTEGER NOT NULL,
  train      REAL NOT NULL,
  validation REAL NOT NULL,
  test       REAL NOT NULL,
  stratified INTEGER NOT NULL,
  assignment BLOB NOT NULL
);
CREATE TABLE sweep(
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  model_id   INTEGER REFERENCES model(id) ON DELETE CASCADE,
  strategy   TEXT NOT NULL CHECK (strategy IN ('grid', 'random')),
  spec_json  TEXT NOT NULL,
  created_at REAL NOT NULL
);
ALTER TABLE run ADD COLUMN sweep_id INTEGER REFERENCES sweep(id) ON DELETE SET NULL;
CREATE INDEX run_by_sweep ON run(sweep_id);
CREATE TABLE evaluation(
  id          INTEGER PRIMARY KEY,
  run_id      INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
  dataset_id  INTEGER NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
  split       TEXT NOT NULL,
  created_at  REAL NOT NULL,
  report_json TEXT NOT NULL,
  UNIQUE (run_id, dataset_id, split)
);
)sql",
    // 3: chart summaries. Min, max and last value per block of 64 steps, kept current by the
    // metric logger, so a chart of many long series reads a few thousand rows per series
    // instead of every point, and still shows every spike.
    R"sql(
CREATE TABLE metric_block(
  run_id     INTEGER NOT NULL,
  key_id     INTEGER NOT NULL,
  block      INTEGER NOT NULL,
  first_step INTEGER NOT NULL,
  last_step  INTEGER NOT NULL,
  first_wall REAL NOT NULL,
  last_wall  REAL NOT NULL,
  min        REAL,
  max        REAL,
  last       REAL,
  count      INTEGER NOT NULL,
  PRIMARY KEY (run_id, key_id, block)
) WITHOUT ROWID;
INSERT INTO metric_block
  SELECT run_id, key_id, step >> 6, min(step), max(step), min(wall), max(wall), min(value),
         max(value), NULL, count(*)
  FROM metric GROUP BY run_id, key_id, step >> 6;
UPDATE metric_block SET last = (SELECT value FROM metric m WHERE m.run_id = metric_block.run_id
  AND m.key_id = metric_block.key_id AND m.step = metric_block.last_step);
)sql",
    // 4: non-finite metric values. SQLite stores a NaN as NULL, so a NULL value in metric,
    // metric_latest and metric_block.last means NaN (infinities are stored as themselves). The
    // partial index holds only the NaN points, so a chart finds where a series diverged without
    // scanning it.
    R"sql(
CREATE INDEX metric_nan ON metric(run_id, key_id, step) WHERE value IS NULL;
)sql",
    // 5: change tracking. Every write to an aggregate bumps one counter and records, per item,
    // the count at its latest change, so a reader asks "what changed since n" in one small
    // indexed query instead of re-reading every run. Triggers keep it whoever writes: this
    // program, the CLI, a training job, a colleague. Aggregates: dataset (with its split), model
    // (with its versions), sweep, run (its row), metrics (new points of a run), evaluation and
    // artifact (of a run), lease (who has the file open; not heartbeats).
    R"sql(
CREATE TABLE change_counter(id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT INTO change_counter VALUES (1, 0);
CREATE TABLE change_log(
  aggregate TEXT NOT NULL,
  item_id   INTEGER NOT NULL,
  seq       INTEGER NOT NULL,
  PRIMARY KEY (aggregate, item_id)
) WITHOUT ROWID;
CREATE INDEX change_by_seq ON change_log(seq);
CREATE TRIGGER change_dataset_insert AFTER INSERT ON dataset BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('dataset', NEW.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_dataset_update AFTER UPDATE ON dataset BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('dataset', NEW.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_dataset_delete AFTER DELETE ON dataset BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('dataset', OLD.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_dataset_split_insert AFTER INSERT ON dataset_split BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('dataset', NEW.dataset_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_dataset_split_update AFTER UPDATE ON dataset_split BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('dataset', NEW.dataset_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_dataset_split_delete AFTER DELETE ON dataset_split BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('dataset', OLD.dataset_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_model_insert AFTER INSERT ON model BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('model', NEW.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_model_update AFTER UPDATE ON model BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('model', NEW.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_model_delete AFTER DELETE ON model BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('model', OLD.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_model_version_insert AFTER INSERT ON model_version BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('model', NEW.model_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_model_version_update AFTER UPDATE ON model_version BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('model', NEW.model_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_model_version_delete AFTER DELETE ON model_version BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('model', OLD.model_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_sweep_insert AFTER INSERT ON sweep BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('sweep', NEW.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_sweep_update AFTER UPDATE ON sweep BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('sweep', NEW.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_sweep_delete AFTER DELETE ON sweep BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('sweep', OLD.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_run_insert AFTER INSERT ON run BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('run', NEW.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_run_update AFTER UPDATE ON run BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('run', NEW.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_run_delete AFTER DELETE ON run BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('run', OLD.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_metric_latest_insert AFTER INSERT ON metric_latest BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('metrics', NEW.run_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_metric_latest_update AFTER UPDATE ON metric_latest BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('metrics', NEW.run_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_metric_latest_delete AFTER DELETE ON metric_latest BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('metrics', OLD.run_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_evaluation_insert AFTER INSERT ON evaluation BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('evaluation', NEW.run_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_evaluation_update AFTER UPDATE ON evaluation BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('evaluation', NEW.run_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_evaluation_delete AFTER DELETE ON evaluation BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('evaluation', OLD.run_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_artifact_insert AFTER INSERT ON artifact BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('artifact', NEW.run_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_artifact_update AFTER UPDATE ON artifact BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('artifact', NEW.run_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_artifact_delete AFTER DELETE ON artifact BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('artifact', OLD.run_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_lease_insert AFTER INSERT ON lease BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('lease', NEW.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_lease_update AFTER UPDATE OF mode, program ON lease BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('lease', NEW.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_lease_delete AFTER DELETE ON lease BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('lease', OLD.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
)sql",
    // 6: packages (issue #11). A package is a model sealed into one .mlwbpkg zip, kept whole
    // in the file so what was checked is byte for byte what gets deployed; its manifest and check
    // report are copied out beside it for listing without opening the zip. A package outlives
    // the run it was built from (it holds its own copy of the model), not its model. An
    // override is someone's written reason to deploy a package whose gate failed. Both are
    // tracked as aggregate "package" (item: the package). A model's check configuration (its
    // gates and budgets, CheckConfig's JSON) is a part of the model (aggregate "model").
    R"sql(
CREATE TABLE package(
  id             INTEGER PRIMARY KEY,
  model_id       INTEGER NOT NULL REFERENCES model(id) ON DELETE CASCADE,
  run_id         INTEGER REFERENCES run(id) ON DELETE SET NULL,
  name           TEXT NOT NULL,
  version        TEXT NOT NULL,
  created_at     REAL NOT NULL,
  author         TEXT NOT NULL DEFAULT '',
  manifest_json  TEXT NOT NULL,
  archive        BLOB NOT NULL,
  archive_sha256 TEXT NOT NULL,
  key_id         TEXT NOT NULL DEFAULT '',
  state          TEXT NOT NULL CHECK (state IN ('built', 'checked', 'gate_failed')),
  checks_json    TEXT,
  checked_at     REAL,
  UNIQUE (name, version)
);
CREATE INDEX package_by_model ON package(model_id);
CREATE INDEX package_by_run ON package(run_id);
CREATE TABLE package_override(
  id         INTEGER PRIMARY KEY,
  package_id INTEGER NOT NULL REFERENCES package(id) ON DELETE CASCADE,
  reason     TEXT NOT NULL CHECK (trim(reason, char(32, 9, 10, 13)) <> ''),
  author     TEXT NOT NULL CHECK (author <> ''),
  created_at REAL NOT NULL
);
CREATE INDEX package_override_by_package ON package_override(package_id);
CREATE TRIGGER change_package_insert AFTER INSERT ON package BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('package', NEW.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_package_update AFTER UPDATE ON package BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('package', NEW.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_package_delete AFTER DELETE ON package BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('package', OLD.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_package_override_insert AFTER INSERT ON package_override BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('package', NEW.package_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_package_override_update AFTER UPDATE ON package_override BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('package', NEW.package_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_package_override_delete AFTER DELETE ON package_override BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('package', OLD.package_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TABLE check_config(
  model_id    INTEGER PRIMARY KEY REFERENCES model(id) ON DELETE CASCADE,
  config_json TEXT NOT NULL,
  updated_at  REAL NOT NULL
);
CREATE TRIGGER change_check_config_insert AFTER INSERT ON check_config BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('model', NEW.model_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_check_config_update AFTER UPDATE ON check_config BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('model', NEW.model_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_check_config_delete AFTER DELETE ON check_config BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('model', OLD.model_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
)sql",
    // 7: deployment (issue #12). A target is an mlwb-agent the project deploys to: its name,
    // URL and the CA certificate (PEM, public, so a colleague opening the shared file can reach
    // it too); never its token, which stays in the user's keychain or token file. A deployment
    // row is the project's own record of what someone did to a target (deploy, canary, promote,
    // rollback, or an upload the agent refused), kept beside the agent's history: it names the
    // package when it came from this project and survives the package's removal. Both are
    // tracked as aggregate "target" (item: the target).
    R"sql(
CREATE TABLE target(
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE CHECK (trim(name) <> ''),
  url        TEXT NOT NULL CHECK (url <> ''),
  ca_cert    TEXT,
  created_at REAL NOT NULL,
  created_by TEXT NOT NULL DEFAULT ''
);
CREATE TABLE deployment(
  id              INTEGER PRIMARY KEY,
  target_id       INTEGER NOT NULL REFERENCES target(id) ON DELETE CASCADE,
  package_id      INTEGER REFERENCES package(id) ON DELETE SET NULL,
  model           TEXT NOT NULL,
  version         TEXT NOT NULL DEFAULT '',
  action          TEXT NOT NULL
                  CHECK (action IN ('deploy', 'canary', 'promote', 'rollback', 'refused')),
  canary_percent  INTEGER NOT NULL DEFAULT 0 CHECK (canary_percent BETWEEN 0 AND 100),
  by              TEXT NOT NULL CHECK (by <> ''),
  at              TEXT NOT NULL,
  detail          TEXT NOT NULL DEFAULT '',
  override_reason TEXT
);
CREATE INDEX deployment_by_target ON deployment(target_id, id);
CREATE INDEX deployment_by_package ON deployment(package_id);
CREATE TRIGGER change_target_insert AFTER INSERT ON target BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('target', NEW.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_target_update AFTER UPDATE ON target BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('target', NEW.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_target_delete AFTER DELETE ON target BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('target', OLD.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_deployment_insert AFTER INSERT ON deployment BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('target', NEW.target_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_deployment_update AFTER UPDATE ON deployment BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('target', NEW.target_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_deployment_delete AFTER DELETE ON deployment BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('target', OLD.target_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
)sql",
    // 8: monitoring (issue #13, docs/monitoring.md). How each target is watched (monitor), its
    // series (name and canonical labels) and their stored increases or levels (monitor_sample,
    // WITHOUT ROWID keyed on series and time, so a series' range is one index walk), every poll
    // (monitor_scrape: gaps and agent restarts), the last snapshot a poll counted from
    // (monitor_state, so the next poll by any process diffs against it), alert rules and the
    // alerts they fired. monitor_sample has no foreign key on purpose: a trigger removes a
    // series' points with it, and undoing a target's removal (RowSnapshot follows foreign
    // keys) restores its rules, alerts and polls but not millions of points. Tracked as
    // aggregates "monitor" (a poll or a config change) and "alert" (rules and alerts), item:
    // the target; a point itself is not, one change row per poll is enough.
    R"sql(
CREATE TABLE monitor(
  target_id           INTEGER PRIMARY KEY REFERENCES target(id) ON DELETE CASCADE,
  source              TEXT NOT NULL DEFAULT 'agent' CHECK (source IN ('agent', 'prometheus')),
  prometheus_url      TEXT NOT NULL DEFAULT '',
  prometheus_job      TEXT NOT NULL DEFAULT '',
  interval_ms         INTEGER NOT NULL CHECK (interval_ms >= 1000),
  raw_retention_ms    INTEGER NOT NULL CHECK (raw_retention_ms > 0),
  minute_retention_ms INTEGER NOT NULL CHECK (minute_retention_ms >= raw_retention_ms),
  hour_retention_ms   INTEGER NOT NULL CHECK (hour_retention_ms >= minute_retention_ms)
);
CREATE TABLE monitor_series(
  id        INTEGER PRIMARY KEY,
  target_id INTEGER NOT NULL REFERENCES target(id) ON DELETE CASCADE,
  name      TEXT NOT NULL CHECK (name <> ''),
  labels    TEXT NOT NULL,
  kind      TEXT NOT NULL CHECK (kind IN ('delta', 'gauge')),
  UNIQUE (target_id, name, labels)
);
CREATE TABLE monitor_sample(
  series_id INTEGER NOT NULL,
  t_ms      INTEGER NOT NULL,
  span_ms   INTEGER NOT NULL CHECK (span_ms >= 0),
  value     REAL,
  PRIMARY KEY (series_id, t_ms)
) WITHOUT ROWID;
CREATE TRIGGER monitor_series_points AFTER DELETE ON monitor_series BEGIN
  DELETE FROM monitor_sample WHERE series_id = OLD.id;
END;
CREATE TABLE monitor_scrape(
  id        INTEGER PRIMARY KEY,
  target_id INTEGER NOT NULL REFERENCES target(id) ON DELETE CASCADE,
  t_ms      INTEGER NOT NULL,
  ok        INTEGER NOT NULL CHECK (ok IN (0, 1)),
  reset     INTEGER NOT NULL DEFAULT 0 CHECK (reset IN (0, 1)),
  error     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX monitor_scrape_by_time ON monitor_scrape(target_id, t_ms);
CREATE TABLE monitor_state(
  target_id INTEGER PRIMARY KEY REFERENCES target(id) ON DELETE CASCADE,
  t_ms      INTEGER NOT NULL,
  snapshot  BLOB NOT NULL
);
CREATE TABLE alert_rule(
  id        INTEGER PRIMARY KEY,
  target_id INTEGER NOT NULL REFERENCES target(id) ON DELETE CASCADE,
  model     TEXT NOT NULL CHECK (model <> ''),
  metric    TEXT NOT NULL CHECK (metric <> ''),
  feature   TEXT NOT NULL DEFAULT '',
  statistic TEXT NOT NULL DEFAULT '',
  op        TEXT NOT NULL CHECK (op IN ('>', '<')),
  threshold REAL NOT NULL,
  for_ms    INTEGER NOT NULL DEFAULT 0 CHECK (for_ms >= 0),
  enabled   INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  origin    TEXT NOT NULL DEFAULT 'user' CHECK (origin IN ('default', 'user'))
);
CREATE INDEX alert_rule_by_target ON alert_rule(target_id, id);
CREATE TABLE alert(
  id         INTEGER PRIMARY KEY,
  rule_id    INTEGER REFERENCES alert_rule(id) ON DELETE SET NULL,
  target_id  INTEGER NOT NULL REFERENCES target(id) ON DELETE CASCADE,
  model      TEXT NOT NULL,
  version    TEXT NOT NULL DEFAULT '',
  fired_at   TEXT NOT NULL,
  cleared_at TEXT,
  value      REAL,
  message    TEXT NOT NULL
);
CREATE INDEX alert_by_target ON alert(target_id, id);
CREATE INDEX alert_by_rule ON alert(rule_id);
CREATE TRIGGER change_monitor_insert AFTER INSERT ON monitor BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('monitor', NEW.target_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_monitor_update AFTER UPDATE ON monitor BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('monitor', NEW.target_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_monitor_scrape_insert AFTER INSERT ON monitor_scrape BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('monitor', NEW.target_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_alert_rule_insert AFTER INSERT ON alert_rule BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('alert', NEW.target_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_alert_rule_update AFTER UPDATE ON alert_rule BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('alert', NEW.target_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_alert_rule_delete AFTER DELETE ON alert_rule BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('alert', OLD.target_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_alert_insert AFTER INSERT ON alert BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('alert', NEW.target_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_alert_update AFTER UPDATE ON alert BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('alert', NEW.target_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
)sql",
    // 9: stored report definitions (issue #14): which runs, which sections, the format and
    // paper, so a report is rendered again after more runs finish. Not the rendered file: the
    // project stays the source, the PDF or HTML goes where the user exports it.
    R"sql(
CREATE TABLE report(
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE CHECK (name <> ''),
  title       TEXT NOT NULL DEFAULT '',
  author      TEXT NOT NULL DEFAULT '',
  run_ids     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(run_ids) AND json_type(run_ids) = 'array'),
  sections    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(sections) AND json_type(sections) = 'array'),
  format      TEXT NOT NULL DEFAULT 'pdf' CHECK (format IN ('pdf', 'html', 'md', 'csv', 'json')),
  paper       TEXT NOT NULL DEFAULT 'a4' CHECK (paper IN ('a4', 'letter')),
  created_at  REAL NOT NULL,
  updated_at  REAL NOT NULL,
  rendered_at REAL,
  rendered_to TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER change_report_insert AFTER INSERT ON report BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('report', NEW.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_report_update AFTER UPDATE ON report BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('report', NEW.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_report_delete AFTER DELETE ON report BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('report', OLD.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
)sql",    // 10: runs logged by training scripts through the MLflow-compatible tracking endpoint
    // (issue #15). Experiments group such runs; a tracked run belongs to an experiment instead
    // of a model version until a model is imported from it, so run.model_version_id becomes
    // nullable: the run table is rebuilt (SQLite's way to drop a NOT NULL; migrations run with
    // foreign keys off, so the rows that reference runs stay as they are). Runs gain their
    // experiment, where they came from, who ran them, MLflow's soft delete, the time a script
    // last wrote (a run left running by a script that died shows it) and the data sets it logged
    // (log-inputs). Tags of runs and experiments are last-write-wins. MLflow's metrics are
    // append-only and a series may hold two values at one step (a script that logs without a
    // step sends step 0 each time): the point a tracked run logs again at a step moves to
    // metric_repeat, so the history keeps it while the series keeps one value per step. The
    // experiment MLflow's clients know as "0", Default, exists from the start.
    R"sql(
CREATE TABLE experiment(
  id                INTEGER PRIMARY KEY,
  name              TEXT NOT NULL UNIQUE CHECK (name <> ''),
  artifact_location TEXT NOT NULL DEFAULT '',
  lifecycle_stage   TEXT NOT NULL DEFAULT 'active' CHECK (lifecycle_stage IN ('active', 'deleted')),
  created_at        REAL NOT NULL,
  updated_at        REAL NOT NULL
);
INSERT INTO experiment(id, name, created_at, updated_at) VALUES (0, 'Default', (julianday('now') - 2440587.5) * 86400.0, (julianday('now') - 2440587.5) * 86400.0);
CREATE TABLE experiment_tag(
  experiment_id INTEGER NOT NULL REFERENCES experiment(id) ON DELETE CASCADE,
  key           TEXT NOT NULL,
  value         TEXT NOT NULL,
  PRIMARY KEY (experiment_id, key)
) WITHOUT ROWID;
CREATE TABLE run_rebuilt(
  id               INTEGER PRIMARY KEY,
  model_version_id INTEGER REFERENCES model_version(id) ON DELETE CASCADE,
  dataset_id       INTEGER REFERENCES dataset(id) ON DELETE SET NULL,
  name             TEXT NOT NULL DEFAULT '',
  status           TEXT NOT NULL
                   CHECK (status IN ('queued', 'running', 'finished', 'failed', 'interrupted')),
  hyperparams_json TEXT NOT NULL DEFAULT '{}',
  created_at       REAL NOT NULL,
  started_at       REAL,
  finished_at      REAL,
  message          TEXT NOT NULL DEFAULT '',
  owner_lease      INTEGER,
  summary_json     TEXT NOT NULL DEFAULT '{}',
  sweep_id         INTEGER REFERENCES sweep(id) ON DELETE SET NULL,
  experiment_id    INTEGER REFERENCES experiment(id) ON DELETE CASCADE,
  origin           TEXT NOT NULL DEFAULT 'workbench' CHECK (origin IN ('workbench', 'tracking')),
  user_id          TEXT NOT NULL DEFAULT '',
  deleted_at       REAL,
  heartbeat_at     REAL,
  inputs_json      TEXT NOT NULL DEFAULT '[]',
  CHECK (model_version_id IS NOT NULL OR experiment_id IS NOT NULL)
);
INSERT INTO run_rebuilt(id, model_version_id, dataset_id, name, status, hyperparams_json, created_at,
                        started_at, finished_at, message, owner_lease, summary_json, sweep_id)
  SELECT id, model_version_id, dataset_id, name, status, hyperparams_json, created_at, started_at,
         finished_at, message, owner_lease, summary_json, sweep_id FROM run;
DROP TABLE run;
ALTER TABLE run_rebuilt RENAME TO run;
CREATE INDEX run_by_model_version ON run(model_version_id);
CREATE INDEX run_by_sweep ON run(sweep_id);
CREATE INDEX run_by_experiment ON run(experiment_id) WHERE experiment_id IS NOT NULL;
CREATE TRIGGER change_run_insert AFTER INSERT ON run BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('run', NEW.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_run_update AFTER UPDATE ON run BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('run', NEW.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_run_delete AFTER DELETE ON run BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('run', OLD.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TABLE run_tag(
  run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
  key    TEXT NOT NULL,
  value  TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
) WITHOUT ROWID;
CREATE TABLE metric_repeat(
  run_id INTEGER NOT NULL,
  key_id INTEGER NOT NULL,
  step   INTEGER NOT NULL,
  wall   REAL NOT NULL,
  value  REAL,
  seq    INTEGER PRIMARY KEY
);
CREATE INDEX metric_repeat_by_series ON metric_repeat(run_id, key_id, step);
CREATE TRIGGER metric_keep_repeat BEFORE UPDATE OF value, wall ON metric
  WHEN (SELECT origin FROM run WHERE id = OLD.run_id) = 'tracking' BEGIN
  INSERT INTO metric_repeat(run_id, key_id, step, wall, value) VALUES (OLD.run_id, OLD.key_id, OLD.step, OLD.wall, OLD.value);
END;
CREATE TRIGGER change_run_tag_insert AFTER INSERT ON run_tag BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('run', NEW.run_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_run_tag_update AFTER UPDATE ON run_tag BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('run', NEW.run_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_run_tag_delete AFTER DELETE ON run_tag BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('run', OLD.run_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_experiment_tag_insert AFTER INSERT ON experiment_tag BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('experiment', NEW.experiment_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_experiment_tag_update AFTER UPDATE ON experiment_tag BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('experiment', NEW.experiment_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_experiment_tag_delete AFTER DELETE ON experiment_tag BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('experiment', OLD.experiment_id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_experiment_insert AFTER INSERT ON experiment BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('experiment', NEW.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_experiment_update AFTER UPDATE ON experiment BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('experiment', NEW.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER change_experiment_delete AFTER DELETE ON experiment BEGIN
  UPDATE change_counter SET n = n + 1;
  INSERT INTO change_log VALUES ('experiment', OLD.id, (SELECT n FROM change_counter))
    ON CONFLICT (aggregate, item_id) DO UPDATE SET seq = excluded.seq;
END;
)sql",
};

// Read-only view of version N-1 as version N, one per migration: objects in the connection's
// TEMP schema (temp names shadow main's for unqualified names) that give code written for the
// current schema what migration N would have made, computed from the file as it is, so a
// colleague's older file can be read without writing a byte to it. Only views: a write to a
// shim fails loudly instead of vanishing into a temporary table. Shims N+1.. are installed on
// top of shim N, so a later shim that redefines an object an earlier one made drops it first.
// A migration that only adds an index needs none (queries never name an index).
const std::array kReadShims = {
    // 1: the first schema; there is nothing older to read.
    "",
    // 2: no stored splits, sweeps or evaluations yet; runs belong to no sweep.
    R"sql(
CREATE TEMP VIEW dataset_split(dataset_id, seed, train, validation, test, stratified, assignment)
  AS SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;
CREATE TEMP VIEW sweep(id, name, model_id, strategy, spec_json, created_at)
  AS SELECT NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;
CREATE TEMP VIEW run AS SELECT *, NULL AS sweep_id FROM main.run;
CREATE TEMP VIEW evaluation(id, run_id, dataset_id, split, created_at, report_json)
  AS SELECT NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;
)sql",
    // 3: the 64-step blocks computed from the points by migration 3's formula. A query for one
    // (run, key) reaches the inner GROUP BY, so it reads that series only.
    R"sql(
CREATE TEMP VIEW metric_block(run_id, key_id, block, first_step, last_step, first_wall,
                              last_wall, min, max, last, count) AS
  SELECT b.run_id, b.key_id, b.block, b.first_step, b.last_step, b.first_wall, b.last_wall,
         b.min_value, b.max_value, m.value, b.n
  FROM (SELECT run_id, key_id, step >> 6 AS block, min(step) AS first_step,
               max(step) AS last_step, min(wall) AS first_wall, max(wall) AS last_wall,
               min(value) AS min_value, max(value) AS max_value, count(*) AS n
        FROM main.metric GROUP BY run_id, key_id, step >> 6) b
  JOIN main.metric m ON m.run_id = b.run_id AND m.key_id = b.key_id AND m.step = b.last_step;
)sql",
    // 4: a partial index only.
    "",
    // 5: no change tracking in the file: a counter that never moves and an empty log. The
    // ChangeFeed looks at main's tables and reports "anything may have changed" instead.
    R"sql(
CREATE TEMP VIEW change_counter(id, n) AS SELECT 1, 0;
CREATE TEMP VIEW change_log(aggregate, item_id, seq) AS SELECT NULL, NULL, NULL WHERE 0;
)sql",
    // 6: no packages and no check configurations yet.
    R"sql(
CREATE TEMP VIEW package(id, model_id, run_id, name, version, created_at, author, manifest_json,
                         archive, archive_sha256, key_id, state, checks_json, checked_at)
  AS SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  WHERE 0;
CREATE TEMP VIEW package_override(id, package_id, reason, author, created_at)
  AS SELECT NULL, NULL, NULL, NULL, NULL WHERE 0;
CREATE TEMP VIEW check_config(model_id, config_json, updated_at) AS SELECT NULL, NULL, NULL WHERE 0;
)sql",
    // 7: no targets and no deployments yet.
    R"sql(
CREATE TEMP VIEW target(id, name, url, ca_cert, created_at, created_by)
  AS SELECT NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;
CREATE TEMP VIEW deployment(id, target_id, package_id, model, version, action, canary_percent, by,
                            at, detail, override_reason)
  AS SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;
)sql",
    // 8: nothing watched yet: no monitor settings, series, points, polls, rules or alerts.
    R"sql(
CREATE TEMP VIEW monitor(target_id, source, prometheus_url, prometheus_job, interval_ms, raw_retention_ms,
                         minute_retention_ms, hour_retention_ms)
  AS SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;
CREATE TEMP VIEW monitor_series(id, target_id, name, labels, kind) AS SELECT NULL, NULL, NULL, NULL, NULL WHERE 0;
CREATE TEMP VIEW monitor_sample(series_id, t_ms, span_ms, value) AS SELECT NULL, NULL, NULL, NULL WHERE 0;
CREATE TEMP VIEW monitor_scrape(id, target_id, t_ms, ok, reset, error) AS SELECT NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;
CREATE TEMP VIEW monitor_state(target_id, t_ms, snapshot) AS SELECT NULL, NULL, NULL WHERE 0;
CREATE TEMP VIEW alert_rule(id, target_id, model, metric, feature, statistic, op, threshold, for_ms, enabled, origin)
  AS SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;
CREATE TEMP VIEW alert(id, rule_id, target_id, model, version, fired_at, cleared_at, value, message)
  AS SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;
)sql",
    // 9: no stored report definitions yet.
    R"sql(
CREATE TEMP VIEW report(id, name, title, author, run_ids, sections, format, paper, created_at, updated_at,
                        rendered_at, rendered_to)
  AS SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;
)sql",
    // 10: no experiments (but Default), tags or repeated points; every run the workbench's own.
    // {run} is the run table as the earlier shims left it (readAsCurrent substitutes it: shim 2
    // made a view of it for a version 1 file).
    R"sql(
CREATE TEMP VIEW experiment(id, name, artifact_location, lifecycle_stage, created_at, updated_at)
  AS SELECT 0, 'Default', '', 'active', 0.0, 0.0;
CREATE TEMP VIEW experiment_tag(experiment_id, key, value) AS SELECT NULL, NULL, NULL WHERE 0;
CREATE TEMP VIEW run_tag(run_id, key, value) AS SELECT NULL, NULL, NULL WHERE 0;
CREATE TEMP VIEW metric_repeat(run_id, key_id, step, wall, value, seq)
  AS SELECT NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;
DROP VIEW IF EXISTS temp.run;
CREATE TEMP VIEW run AS SELECT *, NULL AS experiment_id, 'workbench' AS origin, '' AS user_id,
  NULL AS deleted_at, NULL AS heartbeat_at, '[]' AS inputs_json FROM {run};
)sql",
};
static_assert(kReadShims.size() == kMigrations.size(),
              "every migration needs its read-only shim (empty if it only adds an index)");

Status dropReadShims(Database &db)
{
    auto st = db.prepare(QStringLiteral("SELECT name FROM temp.sqlite_master WHERE type = 'view'"));
    if (!st)
        return st.failure();
    QStringList views;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        views << st->columnText(0);
    }
    st = Statement();
    for (const QString &view : views) {
        if (auto s = db.exec(QStringLiteral("DROP VIEW temp.\"%1\"").arg(view)); !s)
            return s;
    }
    return {};
}

Status applyVersion(Database &db, int version)
{
    if (auto s = db.exec(QString::fromUtf8(kMigrations[version - 1])); !s)
        return fail(QStringLiteral("migration to schema version %1 failed: %2")
                        .arg(version)
                        .arg(s.error()));
    return db.exec(QStringLiteral("PRAGMA user_version = %1").arg(version));
}

} // namespace

int Schema::currentVersion() { return int(kMigrations.size()); }

QString Schema::upgradeNote(int fileVersion)
{
    if (fileVersion >= currentVersion())
        return {};
    return QStringLiteral("schema %1, upgraded to %2 when opened for writing")
        .arg(fileVersion)
        .arg(currentVersion());
}

Status Schema::create(Database &db, int version)
{
    if (version < 1 || version > currentVersion())
        return fail(QStringLiteral("no schema version %1").arg(version));
    auto tx = Transaction::begin(db);
    if (!tx)
        return tx.failure();
    if (auto s = db.exec(QStringLiteral("PRAGMA application_id = %1").arg(kApplicationId)); !s)
        return s;
    for (int v = 1; v <= version; ++v) {
        if (auto s = applyVersion(db, v); !s)
            return s;
    }
    return tx->commit();
}

Status Schema::migrate(Database &db, int fromVersion)
{
    auto tx = Transaction::begin(db);
    if (!tx)
        return tx.failure();
    for (int v = fromVersion + 1; v <= currentVersion(); ++v) {
        if (auto s = applyVersion(db, v); !s)
            return s;
    }
    return tx->commit();
}

Status Schema::readAsCurrent(Database &db, int fileVersion)
{
    if (fileVersion < 1 || fileVersion > currentVersion())
        return fail(QStringLiteral("%1: cannot read schema version %2 as version %3")
                        .arg(db.path())
                        .arg(fileVersion)
                        .arg(currentVersion()));
    if (auto s = dropReadShims(db); !s)
        return s;
    // The run table as the shims before 10 leave it: a version 1 file has no sweep_id yet.
    const QString run = fileVersion >= 2 ? QStringLiteral("main.run") : QStringLiteral("(SELECT *, NULL AS sweep_id FROM main.run)");
    for (int v = fileVersion + 1; v <= currentVersion(); ++v) {
        if (auto s = db.exec(QString::fromUtf8(kReadShims[v - 1]).replace(QLatin1String("{run}"), run)); !s)
            return fail(QStringLiteral("reading schema version %1 as version %2 failed: %3")
                            .arg(v - 1)
                            .arg(v)
                            .arg(s.error()));
    }
    return {};
}

} // namespace mlwb
