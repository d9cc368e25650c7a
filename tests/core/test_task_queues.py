"""The task backend accepts every queue the project declares (a task on another is refused when declared)."""

from django_tasks import task_backends

from core.tasks import QUEUES


def test_every_queue_of_core_tasks_is_open_on_the_backend():
    assert task_backends["default"].queues == set(QUEUES)
