<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AdapterChoice</name>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="185"/>
        <source>LoRA: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="185"/>
        <source>Adapters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="186"/>
        <source>LoRA adapters for this conversation, each with a scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="233"/>
        <source>Choose the conversation&apos;s adapters again with the Adapters button beside the message box.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AdaptersDialog</name>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="59"/>
        <source>LoRA adapters for this conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="64"/>
        <source>Adapters change how the model writes (a style, a field&apos;s knowledge). They apply to this conversation&apos;s next replies; the model is not reloaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="75"/>
        <source>Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="76"/>
        <source>Add a PEFT adapter folder (adapter_config.json and adapter_model.safetensors) or a .gguf LoRA file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="110"/>
        <source>Scale of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="115"/>
        <source>Not available for the loaded model (removed, or made for another model).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="116"/>
        <source>%1 (not available)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="119"/>
        <source>rank %1 · made for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="124"/>
        <source>Scale 1 applies an adapter as trained; 0 turns it off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="125"/>
        <source>No adapter fits the loaded model yet. Import one made for it (or with `assistant lora import PATH`).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="133"/>
        <source>Choose a PEFT adapter (its adapter_config.json) or a .gguf LoRA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="135"/>
        <source>LoRA adapters (adapter_config.json *.gguf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="155"/>
        <source>Imported %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AppearancePage</name>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="20"/>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="24"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="26"/>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="27"/>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="29"/>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BranchNavigator</name>
    <message>
        <location filename="../../assistant/ui/message/navigator.py" line="38"/>
        <source>Previous version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/navigator.py" line="39"/>
        <source>Next version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/navigator.py" line="40"/>
        <source>Versions of this message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CatalogTable</name>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="42"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="42"/>
        <source>Quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="42"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="42"/>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="42"/>
        <source>Fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="43"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="43"/>
        <source>Speed here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="50"/>
        <source>fits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="50"/>
        <source>tight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="50"/>
        <source>won&apos;t fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="54"/>
        <source>bundled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="56"/>
        <source>downloaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="59"/>
        <source>paused at {0}%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="59"/>
        <source>paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="62"/>
        <source> (reasoning)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatSession</name>
    <message>
        <location filename="../../assistant/ui/chat/session.py" line="119"/>
        <source>Loading %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/session.py" line="357"/>
        <source>%1 (branch)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/session.py" line="357"/>
        <source>Conversation</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="104"/>
        <source>Type a message. Enter sends, Shift+Enter starts a new line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="105"/>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="106"/>
        <location filename="../../assistant/ui/chat/view.py" line="140"/>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="106"/>
        <location filename="../../assistant/ui/chat/view.py" line="140"/>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="107"/>
        <location filename="../../assistant/ui/chat/view.py" line="141"/>
        <source>Stop the reply (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="107"/>
        <location filename="../../assistant/ui/chat/view.py" line="141"/>
        <source>Send (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="108"/>
        <source>Ask anything, in English or Chinese.

Ctrl+N new chat · Ctrl+F search · Esc stop · Ctrl+R regenerate · Ctrl+, settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="110"/>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CodeBlocks</name>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="92"/>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="92"/>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="92"/>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="101"/>
        <source>(only Python code runs here)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="112"/>
        <source>Running in the sandbox…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="125"/>
        <source>Copy output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="128"/>
        <source>… %1 characters not shown …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="137"/>
        <source>(no output)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="139"/>
        <source>Sandbox: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="149"/>
        <source>Stopped after %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="152"/>
        <source>Timed out: stopped at the %1 s limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="155"/>
        <source>the memory or CPU time limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="155"/>
        <source>the CPU time limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="156"/>
        <source>a forbidden system call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="156"/>
        <source>a crash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="157"/>
        <source>a limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="158"/>
        <source>Killed by signal %1 (%2) after %3 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="160"/>
        <source>Exit status %1 · %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="168"/>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="169"/>
        <source>%1 MB memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="170"/>
        <source>no network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="171"/>
        <source>a %1 MB scratch folder (at most %2 files)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="173"/>
        <source>no other programs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="174"/>
        <source>up to %1 threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="174"/>
        <source>no threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="175"/>
        <source>no access to your files</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CodeRuns</name>
    <message>
        <location filename="../../assistant/ui/chat/code_runs.py" line="119"/>
        <source>The code could not be run: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConversationActions</name>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="74"/>
        <source>Deleted “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="75"/>
        <source>New conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="75"/>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="120"/>
        <source>Markdown (*.md)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="120"/>
        <location filename="../../assistant/ui/conversations/actions.py" line="140"/>
        <source>JSON (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="122"/>
        <location filename="../../assistant/ui/conversations/actions.py" line="131"/>
        <source>Export conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="132"/>
        <source>Exported to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="139"/>
        <source>Import conversation</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConvertWizard</name>
    <message>
        <location filename="../../assistant/ui/models/convert_worker.py" line="39"/>
        <source>Cannot read this folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_worker.py" line="59"/>
        <source>Conversion failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_worker.py" line="60"/>
        <source>Unexpected error: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="144"/>
        <source>Convert a Hugging Face model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="145"/>
        <source>Folder with config.json, tokenizer.json and *.safetensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="146"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="147"/>
        <source>None: keep full precision (largest)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="154"/>
        <source>auto (keep the checkpoint&apos;s precision)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="155"/>
        <source>Replace the existing file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="156"/>
        <source>Convert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="157"/>
        <source>Model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="157"/>
        <source>Quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="158"/>
        <source>Precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="158"/>
        <source>Estimate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="158"/>
        <source>Saved as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="164"/>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="212"/>
        <source>Choose a model folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="170"/>
        <source>smallest, clearly worse answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="171"/>
        <source>very small, noticeably worse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="172"/>
        <source>very small</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="172"/>
        <source>small</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="173"/>
        <source>legacy 4-bit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="173"/>
        <source>small, good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="174"/>
        <source>recommended: small and good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="175"/>
        <source>legacy 5-bit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="175"/>
        <source>very good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="176"/>
        <source>very good, a bit larger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="177"/>
        <source>near lossless</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="178"/>
        <source>practically lossless, large</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="196"/>
        <source>Choose a Hugging Face model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="214"/>
        <source>Reading the folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="240"/>
        <source>{name}: {arch}, {params:.2f} B parameters, {layers} layers, {dtype} weights ({size:.2f} GiB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="276"/>
        <source>File: about {size:.2f} GiB ({precision})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="278"/>
        <source>Disk space needed while converting: {disk:.2f} GiB (free: {free:.1f} GiB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="280"/>
        <source>Memory to chat with {ctx} tokens of context: about {ram:.1f} GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="282"/>
        <source> (this computer: {total:.1f} GiB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="285"/>
        <source>Not enough free disk space.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="287"/>
        <source>This may not fit in memory; choose a smaller quantization.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="298"/>
        <source>A file with this name already exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="313"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="313"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="327"/>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="334"/>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="357"/>
        <source>Done: {name} is in the model manager, ready to chat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="376"/>
        <source>Cancelled. No files were kept.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DemoNote</name>
    <message>
        <location filename="../../assistant/ui/demo_note.py" line="45"/>
        <source>The built-in model (SmolLM2-135M) is a small demo for trying the app: its answers are weak. For real answers, download DeepSeek-R1-Distill-Qwen-1.5B in Models…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/demo_note.py" line="47"/>
        <source>Open Models…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/demo_note.py" line="48"/>
        <location filename="../../assistant/ui/demo_note.py" line="49"/>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DocumentsChoice</name>
    <message>
        <location filename="../../assistant/ui/chat/documents_choice.py" line="56"/>
        <source>Documents: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/documents_choice.py" line="56"/>
        <source>Documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/documents_choice.py" line="57"/>
        <source>Answer this conversation&apos;s questions from your documents, with sources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/documents_choice.py" line="64"/>
        <source>Answer from:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/documents_choice.py" line="64"/>
        <source>No collections yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/documents_choice.py" line="67"/>
        <source>%1 (removed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/documents_choice.py" line="74"/>
        <source>No documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/documents_choice.py" line="77"/>
        <source>Manage documents…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/documents_choice.py" line="105"/>
        <source>The collection %1 is no longer on this machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/documents_choice.py" line="106"/>
        <source>Choose the conversation&apos;s documents again with the Documents button beside the message box.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DocumentsPanel</name>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="147"/>
        <source>Documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="149"/>
        <source>Collections of your own files — PDF, Word (DOCX), Markdown, HTML, text in any encoding, source code — indexed on this machine. A conversation answers from the collections chosen with the Documents button beside the message box, citing its sources. Drop files or folders here to add them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="152"/>
        <source>New collection…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="153"/>
        <location filename="../../assistant/ui/documents/panel.py" line="253"/>
        <source>Remove collection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="154"/>
        <source>Delete the collection&apos;s index (your files are not touched)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="155"/>
        <source>Add files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="156"/>
        <source>Add folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="157"/>
        <source>A folder is kept in sync: new, changed and removed files are noticed at each re-index</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="159"/>
        <source>Re-index</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="160"/>
        <source>Index what changed in the collection&apos;s folders and files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="161"/>
        <source>Remove from collection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="162"/>
        <source>Remove the selected folders or files from the collection&apos;s index</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="163"/>
        <source>Use in this conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="164"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/panel.py" line="191"/>
        <location filename="../../assistant/ui/documents/panel.py" line="217"/>
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n file</numerusform>
            <numerusform>%n files</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="209"/>
        <source>No collection yet: make one with New collection…, or drop files here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/panel.py" line="217"/>
        <source>%n passage(s)</source>
        <translation>
            <numerusform>%n passage</numerusform>
            <numerusform>%n passages</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="218"/>
        <source>%1: %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/panel.py" line="220"/>
        <source>%n not indexed</source>
        <translation>
            <numerusform>%n not indexed</numerusform>
            <numerusform>%n not indexed</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="243"/>
        <source>New collection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="243"/>
        <source>Name of the collection:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="254"/>
        <source>Remove the collection %1? Its index is deleted; your files are not touched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="266"/>
        <source>Removed the collection %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="279"/>
        <source>My documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="284"/>
        <source>Not found: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="303"/>
        <source>Select a folder or file added to the collection (a top row) to remove it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/panel.py" line="312"/>
        <source>Removed %n file(s) from the index.</source>
        <translation>
            <numerusform>Removed %n file from the index.</numerusform>
            <numerusform>Removed %n files from the index.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="317"/>
        <source>Add files to the collection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="318"/>
        <source>Documents (*.pdf *.docx *.md *.markdown *.txt *.html *.htm *.rst *.csv *.py *.js *.ts *.java *.c *.cpp *.go *.rs);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="325"/>
        <source>Add a folder to the collection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="350"/>
        <source>Looking for documents in %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="365"/>
        <source>Loading the embedding model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="376"/>
        <source>%1 of %2 MB · %3 MB/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="379"/>
        <source>%1 left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="381"/>
        <source>Indexing %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/panel.py" line="387"/>
        <source>%n indexed</source>
        <translation>
            <numerusform>%n indexed</numerusform>
            <numerusform>%n indexed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/panel.py" line="389"/>
        <source>%n unchanged</source>
        <translation>
            <numerusform>%n unchanged</numerusform>
            <numerusform>%n unchanged</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/panel.py" line="391"/>
        <source>%n removed</source>
        <translation>
            <numerusform>%n removed</numerusform>
            <numerusform>%n removed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/panel.py" line="393"/>
        <source>%n could not be indexed (the reasons are in the list)</source>
        <translation>
            <numerusform>%n could not be indexed (the reasons are in the list)</numerusform>
            <numerusform>%n could not be indexed (the reasons are in the list)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="396"/>
        <source>cancelled; the rest is indexed at the next re-index</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/panel.py" line="400"/>
        <source>… and %n more (see the list)</source>
        <translation>
            <numerusform>… and %n more (see the list)</numerusform>
            <numerusform>… and %n more (see the list)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="414"/>
        <source>Indexing %1 stopped: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DownloadsPage</name>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="104"/>
        <source>Hugging Face address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="105"/>
        <source>Leave empty for huggingface.co. Where it is slow or blocked (for example in mainland China), a mirror such as https://hf-mirror.com works.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="112"/>
        <source>Only for gated or private models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="113"/>
        <source>Hugging Face token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="114"/>
        <source>Nothing is downloaded unless you start a download in the model manager.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../assistant/ui/common/errors.py" line="38"/>
        <source>Model file not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/common/errors.py" line="39"/>
        <source>Model not supported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/common/errors.py" line="40"/>
        <source>Model file cannot be used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/common/errors.py" line="41"/>
        <source>Not enough memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/common/errors.py" line="42"/>
        <source>Model failed to load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/common/errors.py" line="43"/>
        <source>Conversation too long</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/common/errors.py" line="44"/>
        <source>Generation failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/common/errors.py" line="45"/>
        <source>Backend unavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/common/errors.py" line="46"/>
        <source>Invalid setting</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EvaluateDialog</name>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="130"/>
        <source>Evaluate a model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="131"/>
        <source>Suite:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="132"/>
        <source>Built-in suite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="133"/>
        <source>A JSONL file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="134"/>
        <source>Kinds:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="139"/>
        <source>Questions about the built-in documents (Chinese and English PDFs, Word files, Markdown...), answered from them with retrieval; the embedding model indexes them first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="141"/>
        <source>Options:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="142"/>
        <source>Runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="143"/>
        <source>Tasks per kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="144"/>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="145"/>
        <source>Max tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="146"/>
        <source>model default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="147"/>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="148"/>
        <source>Backend: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="149"/>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="150"/>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="197"/>
        <source>Tasks to run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="197"/>
        <source>Task files (*.jsonl)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="231"/>
        <source>Choose at least one kind of task.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="233"/>
        <source>No usable model on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="235"/>
        <source>Choose a task file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="266"/>
        <source>Loading {0}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="274"/>
        <source>Stopping after the current token…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="279"/>
        <source> · {0} left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="281"/>
        <source>Task {0}/{1} · {2} {3} · run {4}{5}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="296"/>
        <source>Stopped: {0} of {1} tasks recorded. Start again to continue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="299"/>
        <source>Finished: {0} tasks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="308"/>
        <source>Unexpected error: {0} (details in the log)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FileProblems</name>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="17"/>
        <source>It is not a text file: it holds binary data (NUL or control bytes), not text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="18"/>
        <source>It is not a text file: its bytes are not text in any known encoding.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="19"/>
        <source>It is not a text file: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="20"/>
        <source>It changed while it was being read; it will be indexed at the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="21"/>
        <source>It is encrypted in a way this app cannot open (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="22"/>
        <source>It is protected by a password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="23"/>
        <source>It is not a readable PDF (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="24"/>
        <source>None of its %1 pages could be read (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="25"/>
        <source>It would unpack to %1 MB of XML (a zip bomb?); the limit is %2 MB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="26"/>
        <source>Its XML unpacks to more than %1 MB (a zip bomb?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="27"/>
        <source>It is not a valid DOCX file (not a readable zip: %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="28"/>
        <source>It is not a Word document (no word/document.xml inside).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="29"/>
        <source>Its XML is damaged (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="30"/>
        <source>It cannot be unpacked (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="31"/>
        <source>It is a symbolic link that loops back on itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="32"/>
        <source>It is a link to something that does not exist, or it was removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="33"/>
        <source>It cannot be read: permission denied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="34"/>
        <source>It cannot be read: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="35"/>
        <source>It is not a regular file (a device, pipe or socket).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="36"/>
        <source>It is too large to index (%1 MB; the limit is %2 MB).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="37"/>
        <source>It is too complex to read (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="38"/>
        <source>Only its first %1 characters were indexed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="40"/>
        <source>%1 is not there any more: its documents are kept until it is back or removed from the collection.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FilesTree</name>
    <message>
        <location filename="../../assistant/ui/documents/files_tree.py" line="39"/>
        <source>Folder or file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/files_tree.py" line="39"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/files_tree.py" line="40"/>
        <source>The collection&apos;s folders and files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/files_tree.py" line="64"/>
        <source>no documents found yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/files_tree.py" line="67"/>
        <source>%n passage(s)</source>
        <translation>
            <numerusform>%n passage</numerusform>
            <numerusform>%n passages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/files_tree.py" line="68"/>
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n page</numerusform>
            <numerusform>%n pages</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/files_tree.py" line="99"/>
        <source>Not indexed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/files_tree.py" line="105"/>
        <source>Indexing… %1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/files_tree.py" line="107"/>
        <source>%1 left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/files_tree.py" line="125"/>
        <source>unchanged</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HelpActions</name>
    <message>
        <location filename="../../assistant/ui/help_menu.py" line="27"/>
        <location filename="../../assistant/ui/help_menu.py" line="35"/>
        <source>Diagnostics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/help_menu.py" line="28"/>
        <source>What runs on this computer, and why. Include this text when you report a problem.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/help_menu.py" line="41"/>
        <source>About Assistant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/help_menu.py" line="42"/>
        <source>Assistant: an offline assistant for small local reasoning models.
Nothing leaves this computer unless you start a download or connect to a server.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InfoBox</name>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="45"/>
        <source>%1 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="48"/>
        <source>fits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="48"/>
        <source>tight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="48"/>
        <source>won&apos;t fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="51"/>
        <source>%1 at a context of %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="56"/>
        <source>not downloaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="57"/>
        <source>bundled with the app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="57"/>
        <source>downloaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="58"/>
        <source>imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="58"/>
        <source>converted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="59"/>
        <source>from the Hugging Face cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="61"/>
        <source> (in place)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="62"/>
        <source>ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="63"/>
        <source>unusable: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="67"/>
        <source>checked against the catalog&apos;s SHA-256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="68"/>
        <source>checked against the hub&apos;s SHA-256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="69"/>
        <source>checked against the hub&apos;s git hash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="70"/>
        <source>size checked only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="70"/>
        <source>not checked yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="80"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="82"/>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="83"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="84"/>
        <source>Architecture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="85"/>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="86"/>
        <source>Trained context</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="87"/>
        <source>Prompt format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="88"/>
        <source>plain text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="90"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="90"/>
        <source>embedding model (for documents)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="92"/>
        <source>Licence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="95"/>
        <source>Recommended sampling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="95"/>
        <source>temperature %1 · top p %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="100"/>
        <source>%1 quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="100"/>
        <source>file %1 · needs %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="103"/>
        <source>Quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="105"/>
        <source>File size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="107"/>
        <source>Memory needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="109"/>
        <source>Layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="111"/>
        <source>Vocabulary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="114"/>
        <source>KV cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="114"/>
        <source>%1 per token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="116"/>
        <source>Tokenizer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="118"/>
        <source>Runs here with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="118"/>
        <source>%1 threads · %2 layers on the GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="122"/>
        <source>Tensor types</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="124"/>
        <source>GGUF file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="124"/>
        <source>version %1 · %2 tensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="127"/>
        <source>Checksum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="129"/>
        <source>Location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="131"/>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LibraryTable</name>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="94"/>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="94"/>
        <source>Architecture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="94"/>
        <source>Quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="94"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="94"/>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="95"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="100"/>
        <source>bundled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="100"/>
        <source>imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="100"/>
        <source>converted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="101"/>
        <source>downloaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="101"/>
        <source>from the Hugging Face cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="105"/>
        <source>ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="105"/>
        <source>unusable: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="107"/>
        <source>in use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="108"/>
        <source> (in place)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="169"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="170"/>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="171"/>
        <source>&amp;Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="172"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="175"/>
        <source>New chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="175"/>
        <source>Import conversation (JSON)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="176"/>
        <source>Export as Markdown…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="176"/>
        <source>Export as JSON…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="177"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="177"/>
        <source>Search conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="177"/>
        <source>Stop the reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="178"/>
        <source>Regenerate the last reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="178"/>
        <source>Rename conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="179"/>
        <source>Delete conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="179"/>
        <source>Undo delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="180"/>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="180"/>
        <source>Models…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="181"/>
        <source>Convert a Hugging Face model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="181"/>
        <source>Reload the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="182"/>
        <source>Open log folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="182"/>
        <source>About Assistant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="183"/>
        <source>Diagnostics…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="183"/>
        <source>Documents…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="281"/>
        <source>New conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="417"/>
        <source>Unexpected error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="418"/>
        <source>The app keeps running. The details are in the log file (Help → Open log folder).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageHeader</name>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="72"/>
        <source>You</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="72"/>
        <source>Assistant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="73"/>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="74"/>
        <source>Copy this message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="75"/>
        <source>Copy this reply as Markdown (formulas as LaTeX)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="76"/>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="77"/>
        <source>Edit this message and send it again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="78"/>
        <source>Edit this reply: the next turn goes on from your words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="79"/>
        <source>Regenerate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="80"/>
        <source>Generate this reply again (Ctrl+R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="81"/>
        <source>Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="82"/>
        <source>Write on from where the reply was cut off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="84"/>
        <source>More</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="85"/>
        <source>Branch from here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="86"/>
        <source>A new conversation with this one up to this message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="103"/>
        <source>LoRA: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="105"/>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="105"/>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="106"/>
        <source>interrupted (the app closed while it was being written)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="111"/>
        <source>%1 tokens · %2 tok/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="115"/>
        <source>Cut off at %1 tokens</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageWidget</name>
    <message>
        <location filename="../../assistant/ui/message/widget.py" line="145"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/widget.py" line="146"/>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/widget.py" line="146"/>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/widget.py" line="167"/>
        <source>Answer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/widget.py" line="226"/>
        <source>Thinking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/widget.py" line="226"/>
        <location filename="../../assistant/ui/message/widget.py" line="241"/>
        <source>Writing…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelActions</name>
    <message>
        <location filename="../../assistant/ui/models/actions.py" line="72"/>
        <source>Model converted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/actions.py" line="73"/>
        <source>Switch to the new model %1 now?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelManagerDialog</name>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="151"/>
        <source>Select a model to see its details here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="158"/>
        <source>Models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="159"/>
        <source>Context size for the estimates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="160"/>
        <source>Model details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="161"/>
        <source>This computer: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="162"/>
        <source>Context for estimates:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="163"/>
        <source> tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="164"/>
        <source>Catalog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="166"/>
        <source>Download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="167"/>
        <source>Download original &amp;&amp; convert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="168"/>
        <source>Download the original weights and convert them to GGUF here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="169"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="170"/>
        <location filename="../../assistant/ui/models/manager.py" line="182"/>
        <source>Use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="171"/>
        <source>On this computer (drop .gguf files or model folders here)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="173"/>
        <source>Import file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="174"/>
        <source>Import folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="176"/>
        <source>Import a Hugging Face model folder: it is converted to GGUF at full precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="177"/>
        <source>Convert with options…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="178"/>
        <source>Open the conversion wizard to choose a quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="179"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="180"/>
        <source>Info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="181"/>
        <source>Verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/hardware.py" line="19"/>
        <source>baseline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/hardware.py" line="18"/>
        <source>%1 cores (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/hardware.py" line="20"/>
        <source>%1 GiB RAM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/hardware.py" line="24"/>
        <source>llama.cpp uses the CPU only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="284"/>
        <source>Unexpected error: {0} (details in the log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="293"/>
        <source>Converting: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="298"/>
        <source>Verifying {0}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="300"/>
        <source>{0}: done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="303"/>
        <source>{0}: {1} of {2} · {3}/s{4}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="305"/>
        <source> · {0} left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="311"/>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="329"/>
        <source>, resumed at {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="331"/>
        <source>Downloaded {0} ({1}{2}; verified by {3})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="351"/>
        <source>Converted to {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="362"/>
        <source>Import a model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="362"/>
        <source>GGUF models (*.gguf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="367"/>
        <source>Import a Hugging Face model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="388"/>
        <source>Imported: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="399"/>
        <source>Stop listing {0}? The file stays where it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="400"/>
        <source>Delete {0} from the models folder?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="401"/>
        <source>Remove model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="409"/>
        <source>Removed {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="436"/>
        <source>Checking the checksum and loading the model once…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="443"/>
        <source>matches the {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="445"/>
        <source>DOES NOT MATCH the {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="446"/>
        <source>no reference known</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="447"/>
        <source>ok ({0:.1f} s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="448"/>
        <source>FAILED: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="449"/>
        <source>{0}
header: {1}
sha256: {2} — {3}
test load: {4}
{5}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="450"/>
        <source>ok</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="450"/>
        <source>bad</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="451"/>
        <location filename="../../assistant/ui/models/manager.py" line="453"/>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="451"/>
        <source>NOT OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="452"/>
        <source>Verified {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="453"/>
        <source>problems found</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelPage</name>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="30"/>
        <source>vLLM needs an NVIDIA GPU; none was found (nvidia-smi is missing or reports no GPU).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="32"/>
        <source>%1 is older than vLLM supports (compute capability 7.0 or newer).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="33"/>
        <source>vLLM is not installed for %1. On a CUDA machine: pip install &apos;assistant[vllm]&apos; (or set the vLLM Python in settings).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="35"/>
        <source>vLLM can run on %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="45"/>
        <source>llama.cpp (built in)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="45"/>
        <source>vLLM (NVIDIA GPU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="46"/>
        <location filename="../../assistant/ui/settings/model_page.py" line="98"/>
        <source>OpenAI-compatible server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="49"/>
        <source>Backend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="63"/>
        <source>From the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="65"/>
        <source>Context size (tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="68"/>
        <source>Automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="70"/>
        <source>CPU threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="73"/>
        <source>Auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="74"/>
        <source>Auto: offload what fits in the GPU&apos;s free memory. 0: CPU only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="76"/>
        <source>GPU layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="80"/>
        <source>GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="82"/>
        <source>vLLM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="87"/>
        <source>Share of GPU memory vLLM may use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="92"/>
        <source>Longest context for vLLM (tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="94"/>
        <source>This app&apos;s Python</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="96"/>
        <source>Python with vLLM installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="100"/>
        <source>Server URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="103"/>
        <source>API key (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="105"/>
        <source>The server&apos;s first model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="106"/>
        <source>Model name on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="117"/>
        <source>None in use: llama.cpp runs on the CPU (Help → Diagnostics says why).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="118"/>
        <source>%1: %2 GiB free of %3 GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="123"/>
        <source>%1: %2 of %3 layers on the GPU, the rest on the CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="136"/>
        <source>vLLM: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReasoningPage</name>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="147"/>
        <source>Automatic (maths questions)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="147"/>
        <source>Always</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="148"/>
        <source>Never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="151"/>
        <source>Maths mode (step by step, \boxed{} answer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="155"/>
        <source>Samples per question (majority vote)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="156"/>
        <source>Stop the other samples once the vote is decided</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="157"/>
        <source>Samples are written together; when 3 of 5 agree, the rest cannot change the answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="162"/>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="167"/>
        <source>Role preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="169"/>
        <source>Leave out the oldest messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="170"/>
        <source>Refuse and tell me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="172"/>
        <source>When the conversation no longer fits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="173"/>
        <source>Show the reasoning while it is written</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunReport</name>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="57"/>
        <source>Show run:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="58"/>
        <source>Compare with…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="60"/>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="60"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="60"/>
        <source>Tasks × runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="60"/>
        <source>Accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="60"/>
        <source>Vote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="61"/>
        <source>Answer tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="61"/>
        <source>Reasoning tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="61"/>
        <source>s / task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="61"/>
        <source>tok/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="62"/>
        <source>Failures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="66"/>
        <source>maths</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="66"/>
        <source>instructions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="66"/>
        <source>knowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="67"/>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="67"/>
        <source>documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="73"/>
        <source>(choose a stored run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="74"/>
        <source>(nothing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="79"/>
        <location filename="../../assistant/ui/evaluate/report.py" line="123"/>
        <source>unfinished {0}/{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="127"/>
        <source>no \boxed{}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="127"/>
        <source>cut at max tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="128"/>
        <source>wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="128"/>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="129"/>
        <source>answer only in reasoning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="130"/>
        <source>no code sandbox</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SamplesStrip</name>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="261"/>
        <source>no answer yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="261"/>
        <source>Vote so far: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="267"/>
        <source>Vote: none of the %1 samples gave an answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="271"/>
        <source>Vote: %1 of %2 samples gave the answer marked ✓</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="274"/>
        <source> (decided early: the others were stopped)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="279"/>
        <source>context full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="279"/>
        <source>token limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="281"/>
        <source>no vote: stopped before it answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="282"/>
        <source>no vote: its reasoning went round in a loop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="283"/>
        <source>no vote: cut off while reasoning (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="284"/>
        <source>no vote: cut off before it answered (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="285"/>
        <source>no vote: no answer found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="290"/>
        <source>waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="290"/>
        <source>thinking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="290"/>
        <source>writing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="291"/>
        <source>done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="291"/>
        <source>cut off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="291"/>
        <source>stopped by the vote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="292"/>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="296"/>
        <source>%1 tok</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="306"/>
        <source>Sample %1: %2, %3 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="309"/>
        <source>answer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="313"/>
        <source>(chosen by the vote)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="322"/>
        <source>%1 samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="323"/>
        <source>Show or hide the samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="329"/>
        <source>Click to show this sample.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="333"/>
        <source>Samples of this reply</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SamplingPage</name>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="40"/>
        <source>Temperature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="45"/>
        <source>Top p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="48"/>
        <source>By model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="49"/>
        <source>By model: 4,096 tokens for a reasoning model, 1,024 for a chat model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="51"/>
        <source>Max tokens per reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="53"/>
        <source>Reasoning models work best at temperature 0.5–0.7 (0.6) and top p 0.95.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="61"/>
        <source>Auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="61"/>
        <source>No limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="61"/>
        <source>Custom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="63"/>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="84"/>
        <source>Thinking budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="64"/>
        <source>Auto: %1 tokens of reasoning for maths, %2 for other questions (reasoning models).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="73"/>
        <source>Thinking budget (tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="93"/>
        <source>Tokens the answer always keeps: the reasoning is closed before it uses them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="95"/>
        <source>Answer reserve (tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="97"/>
        <source>Close it and answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="98"/>
        <source>Resample from before the loop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="98"/>
        <source>Do nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="101"/>
        <source>When the reasoning loops</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="102"/>
        <source>Always start replies with reasoning (&lt;think&gt;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="103"/>
        <source>For models that skip their reasoning; R1 models start with it anyway.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="122"/>
        <source>%1 tokens, %2 for maths</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="125"/>
        <source>up to the reply&apos;s length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="127"/>
        <source>%1 tokens</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServingPage</name>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="39"/>
        <source>Serve the loaded model to other programs (OpenAI API)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="44"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="47"/>
        <source>Any free port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="49"/>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="52"/>
        <source>API key clients must send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="57"/>
        <source>None (browsers cannot call it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="58"/>
        <source>Browser origins allowed (CORS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="62"/>
        <source>Largest reply a request may ask for (tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="66"/>
        <source>Requests that may wait in line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="67"/>
        <source>assistant serve: load another model on this computer when a request names it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="70"/>
        <source>One model at a time, as Ollama does. The app&apos;s own server always answers with the model loaded in this window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="82"/>
        <source>Only programs on this computer can connect (127.0.0.1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="86"/>
        <source>Another address than 127.0.0.1 lets other computers use the model: an API key is then required, and serving is refused without one.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="34"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="46"/>
        <source>Sampling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="47"/>
        <source>Reasoning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="51"/>
        <source>Downloads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="48"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="49"/>
        <source>Appearance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="50"/>
        <source>Serving</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="90"/>
        <source>New chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="91"/>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="92"/>
        <source>Search all conversations (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="93"/>
        <source>Search conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="94"/>
        <source>Conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="112"/>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="139"/>
        <source>New conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="134"/>
        <source>No conversation contains this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/conversations/sidebar.py" line="145"/>
        <source>+%n more</source>
        <comment>other messages of the conversation that match</comment>
        <translation>
            <numerusform>+%n more</numerusform>
            <numerusform>+%n more</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="216"/>
        <source>Rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="217"/>
        <source>Export as Markdown…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="218"/>
        <source>Export as JSON…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="220"/>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SourceChips</name>
    <message>
        <location filename="../../assistant/ui/message/sources.py" line="143"/>
        <source>p. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/sources.py" line="146"/>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/sources.py" line="147"/>
        <source>Sources:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/sources.py" line="151"/>
        <source>Nothing relevant was found in your documents (%1): this reply is not based on them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/sources.py" line="159"/>
        <source>Cited in the answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/sources.py" line="160"/>
        <source>Open this passage: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SourceViewer</name>
    <message>
        <location filename="../../assistant/ui/documents/viewer.py" line="159"/>
        <source>Opening…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/viewer.py" line="166"/>
        <source>Source [%1]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/viewer.py" line="171"/>
        <source>page %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/viewer.py" line="172"/>
        <source>page %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/viewer.py" line="176"/>
        <source>characters %1–%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/viewer.py" line="178"/>
        <source>The file is no longer there: this is the passage as it was indexed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/viewer.py" line="179"/>
        <source>The file changed since it was indexed and the passage is no longer in it: this is the passage as it was indexed. Re-index the collection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/viewer.py" line="181"/>
        <source>A long document: the part around the passage is shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/viewer.py" line="184"/>
        <source>Open the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/viewer.py" line="186"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SpeedBar</name>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="104"/>
        <source>≈ {0} tok/s (rough) · answer ≈ {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="106"/>
        <source>≈ {0} tok/s · answer ≈ {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="118"/>
        <source>≈ {0} tok/s here; a typical answer with reasoning ≈ {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="128"/>
        <source>measured {0}, the machine was quiet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="130"/>
        <source>rough: measured {0} while the machine was busy; measured again on a quiet start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="132"/>
        <source>measured {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="139"/>
        <source>at an unknown time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="141"/>
        <source>today</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/models/speed_bar.py" line="142"/>
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>%n day ago</numerusform>
            <numerusform>%n days ago</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="146"/>
        <source>{0} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="148"/>
        <source>{0} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="149"/>
        <source>{0} h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="152"/>
        <source>Measure speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="154"/>
        <source>Measure this computer&apos;s speed on the bundled model (about 20 s) to predict every model&apos;s speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="155"/>
        <source>Evaluate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="156"/>
        <source>Measure a model&apos;s accuracy on a task suite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="161"/>
        <source>Measuring this computer&apos;s speed (about 20 s)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="165"/>
        <source>Speed here: not measured yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="167"/>
        <source>Speed here (bundled model): prompt {0} tok/s, decode {1} tok/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="171"/>
        <source>the new measurement was taken while the machine was busy: the earlier, quiet one is kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="173"/>
        <source>Measuring failed: {0}</source>
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
    <name>ThinkingChoice</name>
    <message>
        <location filename="../../assistant/ui/chat/thinking_choice.py" line="48"/>
        <source>Thinking: on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/thinking_choice.py" line="48"/>
        <source>Thinking: off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/thinking_choice.py" line="49"/>
        <source>Whether the model reasons before it answers, in this conversation (the model&apos;s thinking switch). Off: quicker replies without reasoning. /think or /no_think in a message decides for that message.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ThinkingSection</name>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="125"/>
        <source>Thinking… %1 s · %2 / %3 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="127"/>
        <source>Thinking… %1 s · %2 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="129"/>
        <source>Thinking… %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="131"/>
        <source>Thought for %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="131"/>
        <source>Thought for %1 s · %2 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="132"/>
        <source>(budget reached)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="132"/>
        <source>(loop stopped)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="133"/>
        <source>(closed for the answer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="137"/>
        <source>Reasoning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="139"/>
        <source>Raw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="140"/>
        <source>Show the reasoning as the model wrote it (Markdown and LaTeX source)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
