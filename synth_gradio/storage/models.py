"""Peewee models, one set of classes per database handle (`models_for(db)`).

Why per handle: peewee binds a model class to one database, and rebinding shared classes (`bind`,
`bind_ctx`) is process-wide. With two History objects in one process (a test or a notebook next to
the app's engine thread), one History's transaction then ran its statements on the other's
connection. Each handle therefore gets its own classes, made once, bound to it alone; the table
names are the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from peewee import (
    CharField,
    Database,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

_ATTR = "_synth_models"  # where a database handle keeps its own model classes
_MAKING = threading.Lock()  # two threads on a new handle must not make two sets of classes


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Models:
    """The model classes of one database handle (use `models_for`, never build one yourself)."""

    Run: Any
    Record: Any
    LearnedModel: Any
    SchemaVersion: Any
    SavedTemplate: Any

    @property
    def all(self) -> list[type[Model]]:
        return [self.Run, self.Record, self.SchemaVersion, self.SavedTemplate, self.LearnedModel]


def models_for(db: Database) -> Models:
    """This handle's model classes, made on first use; every History on the handle shares them.

    They live on the handle itself, so they go when it does (a process may open many histories).
    """
    found = db.__dict__.get(_ATTR)
    if found is None:
        with _MAKING:
            found = db.__dict__.get(_ATTR)
            if found is None:
                found = _define(db)
                setattr(db, _ATTR, found)
    return found


def _define(db: Database) -> Models:
    class BaseModel(Model):
        class Meta:
            database = db

    class Run(BaseModel):
        created_at = DateTimeField(default=utcnow, index=True)
        updated_at = DateTimeField(default=utcnow)
        title = CharField(default="")
        template = CharField(null=True)
        template_version = IntegerField(null=True)
        schema_json = TextField()
        examples_json = TextField(default="[]")
        backend = CharField()
        model = CharField(default="")
        params_json = TextField(default="{}")  # never contains API keys
        strategies_json = TextField(default="{}")
        status = CharField(default="pending", index=True)
        requested = IntegerField()
        achieved = IntegerField(default=0)
        candidates = IntegerField(default=0)
        reject_counts_json = TextField(default="{}")
        tokens = IntegerField(default=0)
        duration_s = FloatField(default=0.0)
        error = TextField(null=True)
        quality_json = TextField(null=True)  # metrics and score, computed when the run ends
        worker = CharField(null=True)  # "host:pid" of the process running it, to tell crashed runs apart
        group_id = CharField(null=True, index=True)  # runs made together by a model comparison
        owner = CharField(null=True, index=True)  # the signed-in user who made it (None: no auth)

        class Meta:
            table_name = "run"

    class Record(BaseModel):
        run = ForeignKeyField(Run, backref="records", on_delete="CASCADE")  # this handle's Run
        idx = IntegerField()
        data = TextField()

        class Meta:
            table_name = "record"
            indexes = ((("run", "idx"), True),)

    class LearnedModel(BaseModel):
        """The joint model a run was learned from a reference table with (never the table's rows)."""

        run = ForeignKeyField(Run, backref="learned", on_delete="CASCADE", unique=True)
        data_json = TextField()
        summary_json = TextField()

        class Meta:
            table_name = "learnedmodel"

    class SchemaVersion(BaseModel):
        """One row per applied migration, by name."""

        name = CharField(unique=True)
        applied_at = DateTimeField(default=utcnow)

        class Meta:
            table_name = "schemaversion"

    class SavedTemplate(BaseModel):
        """A user template; saving an existing name adds version n+1 and keeps the old ones."""

        name = CharField(index=True)
        version = IntegerField()
        description = TextField(default="")
        data_json = TextField()  # {"schema": ..., "examples": [...]}
        created_at = DateTimeField(default=utcnow)
        use_count = IntegerField(default=0)
        last_used_at = DateTimeField(null=True)
        owner = CharField(null=True, index=True)  # None: shared with every user

        class Meta:
            table_name = "savedtemplate"
            indexes = ((("name", "version"), True),)

    return Models(Run, Record, LearnedModel, SchemaVersion, SavedTemplate)
