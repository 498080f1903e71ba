"""The schema, as an ordered list of small migrations recorded in `_sqlite_migrations`.

Never edit a migration that has shipped: add a new one. Each function is named for what it changes.
JSON columns hold UTF-8 JSON text (ensure_ascii off, so Chinese stays readable and searchable).
"""

from __future__ import annotations

from desktop.core.store.sqlite import Database, Migrations

MIGRATION_SET = "shopscribe"
migrations = Migrations(MIGRATION_SET)


@migrations()
def m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT
        );

        -- User templates; a row with builtin=1 only records that a built-in is hidden (its text lives
        -- in resources/templates).
        CREATE TABLE templates (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            content_type TEXT,
            platform TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            builtin INTEGER NOT NULL DEFAULT 0,
            hidden INTEGER NOT NULL DEFAULT 0,
            data TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE brands (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            voice TEXT,
            audience TEXT,
            use_words TEXT,
            banned_words TEXT,
            must_use TEXT,
            trademarks TEXT,
            examples TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE products (
            id INTEGER PRIMARY KEY,
            handle TEXT,
            sku TEXT,
            name TEXT,
            fields TEXT,
            extra TEXT,
            source_file TEXT,
            source_rows TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX idx_products_handle ON products(handle);
        CREATE INDEX idx_products_sku ON products(sku);

        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY,
            status TEXT NOT NULL,
            content_type TEXT,
            platform TEXT,
            template_id TEXT,
            brand_id INTEGER REFERENCES brands(id) ON DELETE SET NULL,
            tone TEXT,
            lang TEXT,
            variants INTEGER NOT NULL DEFAULT 1,
            options TEXT,
            input_path TEXT,
            output_path TEXT,
            format TEXT,
            encoding TEXT,
            total INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        -- inputs_text: the input values flattened to plain text, for full-text search.
        CREATE TABLE generations (
            id INTEGER PRIMARY KEY,
            group_id TEXT,
            variant_index INTEGER NOT NULL DEFAULT 0,
            content_type TEXT,
            platform TEXT,
            lang TEXT,
            template_id TEXT,
            template_version INTEGER,
            brand_id INTEGER REFERENCES brands(id) ON DELETE SET NULL,
            tone TEXT,
            inputs TEXT,
            inputs_text TEXT,
            prompt_system TEXT,
            prompt_user TEXT,
            model_id TEXT,
            model_path TEXT,
            model_sha256 TEXT,
            sampling TEXT,
            text TEXT,
            edited_text TEXT,
            fields TEXT,
            stats TEXT,
            stop_reason TEXT,
            findings TEXT,
            rating INTEGER,
            favourite INTEGER NOT NULL DEFAULT 0,
            tags TEXT,
            product_id INTEGER REFERENCES products(id) ON DELETE SET NULL,
            job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL
        );

        CREATE TABLE job_items (
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            product_id INTEGER REFERENCES products(id) ON DELETE CASCADE,
            position INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            generation_id INTEGER REFERENCES generations(id) ON DELETE SET NULL,
            text TEXT,
            fields TEXT,
            findings TEXT,
            error TEXT,
            updated_at TEXT,
            UNIQUE (job_id, product_id)
        );
        CREATE INDEX idx_job_items_job ON job_items(job_id, position);
        """
    )


@migrations()
def m002_history_fts(db: Database) -> None:
    # Trigram tokenizer: substring search that works for Chinese (no word boundaries) and English.
    # External content: the index stores no second copy of the text. The update trigger only fires
    # when a searched column changes, so rating or favouriting does not rewrite the index.
    db.executescript(
        """
        CREATE VIRTUAL TABLE generations_fts USING fts5(
            inputs_text, text, edited_text,
            content='generations', content_rowid='id', tokenize='trigram'
        );
        INSERT INTO generations_fts (rowid, inputs_text, text, edited_text)
            SELECT id, inputs_text, text, edited_text FROM generations;

        CREATE TRIGGER generations_fts_ai AFTER INSERT ON generations BEGIN
            INSERT INTO generations_fts (rowid, inputs_text, text, edited_text)
                VALUES (new.id, new.inputs_text, new.text, new.edited_text);
        END;
        CREATE TRIGGER generations_fts_ad AFTER DELETE ON generations BEGIN
            INSERT INTO generations_fts (generations_fts, rowid, inputs_text, text, edited_text)
                VALUES ('delete', old.id, old.inputs_text, old.text, old.edited_text);
        END;
        CREATE TRIGGER generations_fts_au AFTER UPDATE OF inputs_text, text, edited_text ON generations BEGIN
            INSERT INTO generations_fts (generations_fts, rowid, inputs_text, text, edited_text)
                VALUES ('delete', old.id, old.inputs_text, old.text, old.edited_text);
            INSERT INTO generations_fts (rowid, inputs_text, text, edited_text)
                VALUES (new.id, new.inputs_text, new.text, new.edited_text);
        END;
        """
    )


@migrations()
def m003_history_indexes(db: Database) -> None:
    # The history page lists newest first and filters by type, platform, group and favourite.
    db.executescript(
        """
        CREATE INDEX idx_generations_created ON generations(created_at);
        CREATE INDEX idx_generations_group ON generations(group_id, variant_index);
        CREATE INDEX idx_generations_type ON generations(content_type, platform);
        CREATE INDEX idx_generations_job ON generations(job_id);
        """
    )


@migrations()
def m004_quality_scores(db: Database) -> None:
    # The quality score of each result (JSON: {"value": 0-100, "parts": [...]}), beside its findings,
    # so the history and the batch review can show it and sort by it.
    _add_column(db, "generations", "score", "TEXT")
    _add_column(db, "job_items", "score", "TEXT")


@migrations()
def m005_history_engine(db: Database) -> None:
    # Which engine wrote each result: "local" (this computer's engine host) or a remote server's address.
    _add_column(db, "generations", "engine", "TEXT")


def _add_column(db: Database, table: str, column: str, kind: str) -> None:
    """ALTER TABLE ... ADD COLUMN, unless the column is there already: a database written by a
    development build may hold a column under another migration's name (m004 once added `engine`)."""
    if column not in db[table].columns_dict:
        db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")


def migration_names() -> list[str]:
    """The migrations in order (tests apply a prefix of this list to build older schemas)."""
    return [m.name for m in migrations._migrations]
