"""Sessions made before the login backend moved to accounts.backends.ModelBackend keep working.

Django accepts a session only if the backend path stored in it is listed in
AUTHENTICATION_BACKENDS. The old path (django.contrib.auth.backends.ModelBackend)
is rewritten to the new one, so that deploying the change logs nobody out.
"""

from django.db import migrations

OLD = "django.contrib.auth.backends.ModelBackend"
NEW = "accounts.backends.ModelBackend"


def _rewrite(apps, schema_editor, old: str, new: str) -> None:
    from django.contrib.auth import BACKEND_SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    changed = []
    for session in Session.objects.using(schema_editor.connection.alias).iterator():
        data = store.decode(session.session_data)
        if data.get(BACKEND_SESSION_KEY) == old:
            data[BACKEND_SESSION_KEY] = new
            session.session_data = store.encode(data)
            changed.append(session)
    Session.objects.using(schema_editor.connection.alias).bulk_update(changed, ["session_data"], batch_size=500)


def forwards(apps, schema_editor):
    _rewrite(apps, schema_editor, OLD, NEW)


def backwards(apps, schema_editor):
    _rewrite(apps, schema_editor, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_verbose_names"), ("sessions", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
