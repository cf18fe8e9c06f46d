<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../assistant/ui/chat_view.py" line="92"/>
        <source>Type a message. Enter sends, Shift+Enter starts a new line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat_view.py" line="93"/>
        <location filename="../../assistant/ui/chat_view.py" line="123"/>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat_view.py" line="93"/>
        <location filename="../../assistant/ui/chat_view.py" line="123"/>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat_view.py" line="94"/>
        <location filename="../../assistant/ui/chat_view.py" line="124"/>
        <source>Stop the reply (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat_view.py" line="94"/>
        <location filename="../../assistant/ui/chat_view.py" line="124"/>
        <source>Send (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat_view.py" line="95"/>
        <source>Ask anything, in English or Chinese.

Ctrl+N new chat · Ctrl+F search · Esc stop · Ctrl+R regenerate · Ctrl+, settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat_view.py" line="97"/>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat_view.py" line="189"/>
        <source>Sample %1…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../assistant/ui/errors.py" line="38"/>
        <source>Model file not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/errors.py" line="39"/>
        <source>Model not supported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/errors.py" line="40"/>
        <source>Model file cannot be used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/errors.py" line="41"/>
        <source>Not enough memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/errors.py" line="42"/>
        <source>Model failed to load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/errors.py" line="43"/>
        <source>Conversation too long</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/errors.py" line="44"/>
        <source>Generation failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/errors.py" line="45"/>
        <source>Backend unavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/errors.py" line="46"/>
        <source>Invalid setting</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="158"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="159"/>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="160"/>
        <source>&amp;Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="161"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="164"/>
        <source>New chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="164"/>
        <source>Import conversation (JSON)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="165"/>
        <source>Export as Markdown…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="165"/>
        <source>Export as JSON…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="166"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="166"/>
        <source>Search conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="166"/>
        <source>Stop the reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="167"/>
        <source>Regenerate the last reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="167"/>
        <source>Rename conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="168"/>
        <source>Delete conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="168"/>
        <source>Undo delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="169"/>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="169"/>
        <source>Models…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="170"/>
        <source>Convert a Hugging Face model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="170"/>
        <source>Reload the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="171"/>
        <source>Open log folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="171"/>
        <location filename="../../assistant/ui/window_actions.py" line="130"/>
        <source>About Assistant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="176"/>
        <source>Not available in this build</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="203"/>
        <source>Loading %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="284"/>
        <location filename="../../assistant/ui/main_window.py" line="339"/>
        <source>New conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="339"/>
        <source>Deleted “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="339"/>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="439"/>
        <source>%1 tokens · %2 tok/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="503"/>
        <source>Unexpected error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="504"/>
        <source>The app keeps running. The details are in the log file (Help → Open log folder).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/window_actions.py" line="70"/>
        <source>Markdown (*.md)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/window_actions.py" line="71"/>
        <location filename="../../assistant/ui/window_actions.py" line="79"/>
        <source>JSON (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/window_actions.py" line="72"/>
        <source>Export conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/window_actions.py" line="78"/>
        <source>Import conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/window_actions.py" line="116"/>
        <source>Model converted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/window_actions.py" line="117"/>
        <source>Switch to the new model %1 now?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/window_actions.py" line="124"/>
        <source>This feature is not available in this build.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/window_actions.py" line="131"/>
        <source>Assistant: an offline assistant for small local reasoning models.
Nothing leaves this computer unless you start a download or connect to a server.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageWidget</name>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="203"/>
        <source>You</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="203"/>
        <source>Assistant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="204"/>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="205"/>
        <source>Copy this message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="206"/>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="207"/>
        <source>Edit this message and send it again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="208"/>
        <source>Regenerate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="209"/>
        <source>Generate this reply again (Ctrl+R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="210"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="211"/>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="221"/>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="221"/>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="222"/>
        <source>interrupted (the app closed while it was being written)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="237"/>
        <source>Answer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="254"/>
        <source>%1 tokens · %2 tok/s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="60"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="75"/>
        <source>Temperature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="80"/>
        <source>Top p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="84"/>
        <source>Max tokens per reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="85"/>
        <source>Reasoning models work best at temperature 0.5–0.7 (0.6) and top p 0.95.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="88"/>
        <source>Sampling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="94"/>
        <source>Automatic (maths questions)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="94"/>
        <source>Always</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="95"/>
        <source>Never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="98"/>
        <source>Maths mode (step by step, \boxed{} answer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="102"/>
        <source>Samples per question (majority vote)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="104"/>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="109"/>
        <source>Role preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="111"/>
        <source>Leave out the oldest messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="112"/>
        <source>Refuse and tell me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="114"/>
        <source>When the conversation no longer fits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="115"/>
        <source>Show the reasoning while it is written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="118"/>
        <source>Reasoning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="124"/>
        <source>llama.cpp (built in)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="124"/>
        <source>vLLM (NVIDIA GPU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="125"/>
        <source>OpenAI-compatible server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="139"/>
        <source>Backend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="140"/>
        <source>vLLM: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="145"/>
        <source>Server URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="148"/>
        <source>API key (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="152"/>
        <source>From the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="154"/>
        <source>Context size (tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="157"/>
        <source>Automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="159"/>
        <source>CPU threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="162"/>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="164"/>
        <source>GPU layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="167"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="173"/>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="177"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="179"/>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="180"/>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="182"/>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="183"/>
        <source>Appearance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="188"/>
        <source>Serve the loaded model to other programs (OpenAI API)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="194"/>
        <source>Port on 127.0.0.1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="195"/>
        <source>Only programs on this computer can connect (127.0.0.1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="202"/>
        <source>Serving is not available in this build.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="203"/>
        <source>Serving</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <location filename="../../assistant/ui/sidebar.py" line="68"/>
        <source>New chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/sidebar.py" line="69"/>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/sidebar.py" line="70"/>
        <source>Search all conversations (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/sidebar.py" line="88"/>
        <location filename="../../assistant/ui/sidebar.py" line="106"/>
        <source>New conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/sidebar.py" line="101"/>
        <source>No conversation contains this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/sidebar.py" line="156"/>
        <source>Rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/sidebar.py" line="157"/>
        <source>Export as Markdown…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/sidebar.py" line="158"/>
        <source>Export as JSON…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/sidebar.py" line="160"/>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <location filename="../../assistant/ui/status_panel.py" line="75"/>
        <source>Model: loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/status_panel.py" line="77"/>
        <source>Model: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/status_panel.py" line="79"/>
        <source>No model loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/status_panel.py" line="81"/>
        <source>%1 tok/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/status_panel.py" line="83"/>
        <source>Serving at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/status_panel.py" line="105"/>
        <source>Context %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/status_panel.py" line="106"/>
        <source>Context %1 — nearly full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/status_panel.py" line="107"/>
        <source>Context %1 — too long: the oldest messages are left out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/status_panel.py" line="108"/>
        <source>Context %1 — full: start a new chat or raise the context size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/status_panel.py" line="113"/>
        <source>Tokens the conversation takes in the model&apos;s context window</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ThinkingSection</name>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="84"/>
        <source>Thinking… %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="86"/>
        <source>Thought for %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="88"/>
        <source>Reasoning</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
