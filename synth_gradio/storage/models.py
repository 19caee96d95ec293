"""Peewee models. They are bound to a database per History via `bind_ctx`/`bind`."""

from __future__ import annotations

import datetime as dt

from peewee import (
    CharField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = None  # bound by History


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
    worker = CharField(null=True)
    group_id = CharField(
        null=True, index=True
    )  # runs made together by a model comparison  # "host:pid" of the process running it, to tell crashed runs apart


class Record(BaseModel):
    run = ForeignKeyField(Run, backref="records", on_delete="CASCADE")
    idx = IntegerField()
    data = TextField()

    class Meta:
        indexes = ((("run", "idx"), True),)


class LearnedModel(BaseModel):
    """The joint model a run was learned from a reference table with (never the table's rows)."""

    run = ForeignKeyField(Run, backref="learned", on_delete="CASCADE", unique=True)
    data_json = TextField()
    summary_json = TextField()


class SchemaVersion(BaseModel):
    """One row per applied migration, by name."""

    name = CharField(unique=True)
    applied_at = DateTimeField(default=utcnow)


class SavedTemplate(BaseModel):
    """A user template; saving an existing name adds version n+1 and keeps the old ones."""

    name = CharField(index=True)
    version = IntegerField()
    description = TextField(default="")
    data_json = TextField()  # {"schema": ..., "examples": [...]}
    created_at = DateTimeField(default=utcnow)
    use_count = IntegerField(default=0)
    last_used_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("name", "version"), True),)


MODELS = [Run, Record, SchemaVersion, SavedTemplate, LearnedModel]
