"""Who is signed in: the session and its user, each read with one plain SELECT.

Every request of a signed-in person reads its session row and its user row. Through the ORM
each read spends about 0.25 ms of CPU building and compiling the query, more than the
database spends answering it, and no queryset form of it is cheaper (``values_list``,
``filter()[:1]``); plain SQL costs a fifth (session) and a half (user, ``Manager.raw``, which
keeps the ORM's conversion of the row). Everything else is Django's: the same session rows
and signing, writing, rotating and deleting them, signing in and out, and the check that the
session's password hash still matches the user's.
"""

from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth.backends import AllowAllUsersModelBackend
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

USER_BACKEND = "kovablik.sessions.UserBackend"
# The backend sessions signed in before this module name; read as ours, so they stay signed in.
FORMER_USER_BACKEND = "django.contrib.auth.backends.AllowAllUsersModelBackend"


class SessionStore(db.SessionStore):
    """Django's database sessions, loaded with one plain SELECT."""

    def load(self):
        opts = self.model._meta
        connection = connections[router.db_for_read(self.model)]
        quote = connection.ops.quote_name
        expire_date = opts.get_field("expire_date")
        now = expire_date.get_db_prep_value(timezone.now(), connection)
        with connection.cursor() as cursor:
            # Only quoted names of the model's own table and columns are spliced in; every
            # value is a parameter.
            cursor.execute(
                f"SELECT {quote(opts.get_field('session_data').column)} "  # noqa: S608  # nosec B608
                f"FROM {quote(opts.db_table)} "
                f"WHERE {quote(opts.pk.column)} = %s AND {quote(expire_date.column)} > %s",
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            # As Django's: an unknown or expired key is never saved again.
            self._session_key = None
            return {}
        session = self.decode(row[0])
        if session.get(BACKEND_SESSION_KEY) == FORMER_USER_BACKEND:
            session[BACKEND_SESSION_KEY] = USER_BACKEND
        return session


class UserBackend(AllowAllUsersModelBackend):
    """Django's backend that lets inactive accounts sign in (see settings), reading a
    session's user with one plain SELECT."""

    def get_user(self, user_id):
        user_model = get_user_model()
        opts = user_model._meta
        quote = connections[router.db_for_read(user_model)].ops.quote_name
        users = user_model._default_manager.raw(
            f"SELECT * FROM {quote(opts.db_table)} WHERE {quote(opts.pk.column)} = %s",  # noqa: S608  # nosec B608
            [user_id],
        )
        user = next(iter(users), None)
        return user if user is not None and self.user_can_authenticate(user) else None
