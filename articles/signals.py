"""Domain signals of published content, for the apps that react to it."""

from django.dispatch import Signal

# Sent once the correction's transaction commits; `issues` lists every issue whose
# published pages changed, `corrections` the records made.
content_corrected = Signal()
