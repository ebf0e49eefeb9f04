"""What every app shares and no app owns: form widgets, showing a service's refusal on a form,
one way to write a form view, breadcrumbs. It imports no domain app, so any app may import it."""
