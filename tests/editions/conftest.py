import pytest


@pytest.fixture(autouse=True)
def _run_tasks_immediately(settings):
    """Background tasks run inside the test, as soon as they are enqueued."""
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    }
