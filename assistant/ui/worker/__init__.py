"""The loaded model, off the UI thread: one worker per loaded model on its own QThread (chat_worker.py; only
that thread touches the model), the handle the UI drives it with (handle.py: start, jobs, stop, shutdown in
order), and the plain data that goes back and forth (events.py). No widgets: the chat feature shows what it
sends, the shell reads the loaded model's facts."""
