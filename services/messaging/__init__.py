"""Links and reminders sent to the client by text message or e-mail, from the job worker."""
