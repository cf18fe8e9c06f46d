<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AdapterChoice</name>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="197"/>
        <source>LoRA: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="197"/>
        <source>Adapters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="198"/>
        <source>LoRA adapters for this conversation, each with a scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="245"/>
        <source>Choose the conversation&apos;s adapters again with the Adapters button beside the message box.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AdaptersDialog</name>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="71"/>
        <source>LoRA adapters for this conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="76"/>
        <source>Adapters change how the model writes (a style, a field&apos;s knowledge). They apply to this conversation&apos;s next replies; the model is not reloaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="87"/>
        <source>Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="88"/>
        <source>Add a PEFT adapter folder (adapter_config.json and adapter_model.safetensors) or a .gguf LoRA file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="122"/>
        <source>Scale of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="127"/>
        <source>Not available for the loaded model (removed, or made for another model).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="128"/>
        <source>%1 (not available)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="131"/>
        <source>rank %1 · made for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="136"/>
        <source>Scale 1 applies an adapter as trained; 0 turns it off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="137"/>
        <source>No adapter fits the loaded model yet. Import one made for it (or with `assistant lora import PATH`).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="145"/>
        <source>Choose a PEFT adapter (its adapter_config.json) or a .gguf LoRA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="147"/>
        <source>LoRA adapters (adapter_config.json *.gguf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="167"/>
        <source>Imported %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatSession</name>
    <message>
        <location filename="../../assistant/ui/chat/session.py" line="98"/>
        <source>Loading %1…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="98"/>
        <source>Type a message. Enter sends, Shift+Enter starts a new line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="99"/>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="100"/>
        <location filename="../../assistant/ui/chat/view.py" line="134"/>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="100"/>
        <location filename="../../assistant/ui/chat/view.py" line="134"/>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="101"/>
        <location filename="../../assistant/ui/chat/view.py" line="135"/>
        <source>Stop the reply (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="101"/>
        <location filename="../../assistant/ui/chat/view.py" line="135"/>
        <source>Send (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="102"/>
        <source>Ask anything, in English or Chinese.

Ctrl+N new chat · Ctrl+F search · Esc stop · Ctrl+R regenerate · Ctrl+, settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="104"/>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConversationActions</name>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="78"/>
        <source>Deleted “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="79"/>
        <source>New conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="79"/>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="124"/>
        <source>Markdown (*.md)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="124"/>
        <location filename="../../assistant/ui/conversations/actions.py" line="144"/>
        <source>JSON (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="126"/>
        <location filename="../../assistant/ui/conversations/actions.py" line="135"/>
        <source>Export conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="136"/>
        <source>Exported to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="143"/>
        <source>Import conversation</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConvertWizard</name>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="64"/>
        <source>Cannot read this folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="84"/>
        <source>Conversion failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="85"/>
        <source>Unexpected error: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="195"/>
        <source>Convert a Hugging Face model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="196"/>
        <source>Folder with config.json, tokenizer.json and *.safetensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="197"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="198"/>
        <source>None: keep full precision (largest)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="205"/>
        <source>auto (keep the checkpoint&apos;s precision)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="206"/>
        <source>Replace the existing file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="207"/>
        <source>Convert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="208"/>
        <source>Model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="208"/>
        <source>Quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="209"/>
        <source>Precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="209"/>
        <source>Estimate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="209"/>
        <source>Saved as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="215"/>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="263"/>
        <source>Choose a model folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="221"/>
        <source>smallest, clearly worse answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="222"/>
        <source>very small, noticeably worse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="223"/>
        <source>very small</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="223"/>
        <source>small</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="224"/>
        <source>legacy 4-bit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="224"/>
        <source>small, good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="225"/>
        <source>recommended: small and good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="226"/>
        <source>legacy 5-bit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="226"/>
        <source>very good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="227"/>
        <source>very good, a bit larger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="228"/>
        <source>near lossless</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="229"/>
        <source>practically lossless, large</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="247"/>
        <source>Choose a Hugging Face model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="265"/>
        <source>Reading the folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="291"/>
        <source>{name}: {arch}, {params:.2f} B parameters, {layers} layers, {dtype} weights ({size:.2f} GiB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="327"/>
        <source>File: about {size:.2f} GiB ({precision})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="329"/>
        <source>Disk space needed while converting: {disk:.2f} GiB (free: {free:.1f} GiB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="331"/>
        <source>Memory to chat with {ctx} tokens of context: about {ram:.1f} GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="333"/>
        <source> (this computer: {total:.1f} GiB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="336"/>
        <source>Not enough free disk space.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="338"/>
        <source>This may not fit in memory; choose a smaller quantization.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="349"/>
        <source>A file with this name already exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="364"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="364"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="378"/>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="385"/>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="408"/>
        <source>Done: {name} is in the model manager, ready to chat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="427"/>
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
        <location filename="../../assistant/ui/evaluate/page.py" line="151"/>
        <source>Evaluate a model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="152"/>
        <source>Suite:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="153"/>
        <source>Built-in suite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="154"/>
        <source>A JSONL file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="155"/>
        <source>Kinds:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="158"/>
        <source>Options:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="159"/>
        <source>Runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="160"/>
        <source>Tasks per kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="161"/>
        <location filename="../../assistant/ui/evaluate/page.py" line="179"/>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="162"/>
        <source>Max tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="163"/>
        <source>model default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="164"/>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="165"/>
        <source>Backend: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="166"/>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="167"/>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="168"/>
        <source>Show run:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="169"/>
        <source>Compare with…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="171"/>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="171"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="171"/>
        <source>Tasks × runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="171"/>
        <source>Accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="171"/>
        <source>Vote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="172"/>
        <source>Answer tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="172"/>
        <source>Reasoning tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="172"/>
        <source>s / task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="172"/>
        <source>tok/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="173"/>
        <source>Failures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="178"/>
        <source>maths</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="178"/>
        <source>instructions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="178"/>
        <source>knowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="207"/>
        <source>(choose a stored run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="208"/>
        <source>(nothing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="213"/>
        <location filename="../../assistant/ui/evaluate/page.py" line="387"/>
        <source>unfinished {0}/{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="237"/>
        <source>Tasks to run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="237"/>
        <source>Task files (*.jsonl)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="271"/>
        <source>Choose at least one kind of task.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="273"/>
        <source>No usable model on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="275"/>
        <source>Choose a task file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="306"/>
        <source>Loading {0}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="314"/>
        <source>Stopping after the current token…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="319"/>
        <source> · {0} left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="321"/>
        <source>Task {0}/{1} · {2} {3} · run {4}{5}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="336"/>
        <source>Stopped: {0} of {1} tasks recorded. Start again to continue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="339"/>
        <source>Finished: {0} tasks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="351"/>
        <source>Unexpected error: {0} (details in the log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="391"/>
        <source>no \boxed{}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="391"/>
        <source>cut at max tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="392"/>
        <source>wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="392"/>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="393"/>
        <source>answer only in reasoning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="394"/>
        <source>no code sandbox</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HelpActions</name>
    <message>
        <location filename="../../assistant/ui/help_menu.py" line="31"/>
        <location filename="../../assistant/ui/help_menu.py" line="39"/>
        <source>Diagnostics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/help_menu.py" line="32"/>
        <source>What runs on this computer, and why. Include this text when you report a problem.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/help_menu.py" line="45"/>
        <source>About Assistant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/help_menu.py" line="46"/>
        <source>Assistant: an offline assistant for small local reasoning models.
Nothing leaves this computer unless you start a download or connect to a server.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="161"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="162"/>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="163"/>
        <source>&amp;Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="164"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="167"/>
        <source>New chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="167"/>
        <source>Import conversation (JSON)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="168"/>
        <source>Export as Markdown…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="168"/>
        <source>Export as JSON…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="169"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="169"/>
        <source>Search conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="169"/>
        <source>Stop the reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="170"/>
        <source>Regenerate the last reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="170"/>
        <source>Rename conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="171"/>
        <source>Delete conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="171"/>
        <source>Undo delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="172"/>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="172"/>
        <source>Models…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="173"/>
        <source>Convert a Hugging Face model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="173"/>
        <source>Reload the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="174"/>
        <source>Open log folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="174"/>
        <source>About Assistant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="175"/>
        <source>Diagnostics…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="269"/>
        <source>New conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="376"/>
        <source>Unexpected error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="377"/>
        <source>The app keeps running. The details are in the log file (Help → Open log folder).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageHeader</name>
    <message>
        <location filename="../../assistant/ui/chat/message_header.py" line="54"/>
        <source>You</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/message_header.py" line="54"/>
        <source>Assistant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/message_header.py" line="55"/>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/message_header.py" line="56"/>
        <source>Copy this message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/message_header.py" line="57"/>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/message_header.py" line="58"/>
        <source>Edit this message and send it again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/message_header.py" line="59"/>
        <source>Regenerate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/message_header.py" line="60"/>
        <source>Generate this reply again (Ctrl+R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/message_header.py" line="61"/>
        <source>Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/message_header.py" line="62"/>
        <source>Write on from where the reply was cut off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/message_header.py" line="79"/>
        <source>LoRA: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/message_header.py" line="81"/>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/message_header.py" line="81"/>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/message_header.py" line="82"/>
        <source>interrupted (the app closed while it was being written)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/message_header.py" line="87"/>
        <source>%1 tokens · %2 tok/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/message_header.py" line="91"/>
        <source>Cut off at %1 tokens</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageWidget</name>
    <message>
        <location filename="../../assistant/ui/chat/message.py" line="126"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/message.py" line="127"/>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/message.py" line="146"/>
        <source>Answer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/message.py" line="189"/>
        <source>Thinking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/message.py" line="189"/>
        <location filename="../../assistant/ui/chat/message.py" line="203"/>
        <source>Writing…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelActions</name>
    <message>
        <location filename="../../assistant/ui/models/actions.py" line="76"/>
        <source>Model converted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/actions.py" line="77"/>
        <source>Switch to the new model %1 now?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelManagerDialog</name>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="157"/>
        <source>Select a model to see its details here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="164"/>
        <source>Models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="165"/>
        <source>Context size for the estimates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="166"/>
        <source>Model details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="167"/>
        <source>This computer: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="168"/>
        <source>Context for estimates:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="169"/>
        <source> tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="170"/>
        <source>Catalog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="172"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="172"/>
        <location filename="../../assistant/ui/models/manager.py" line="181"/>
        <source>Quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="172"/>
        <location filename="../../assistant/ui/models/manager.py" line="181"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="172"/>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="172"/>
        <source>Fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="173"/>
        <location filename="../../assistant/ui/models/manager.py" line="182"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="173"/>
        <source>Speed here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="174"/>
        <source>Download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="175"/>
        <source>Download original &amp;&amp; convert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="176"/>
        <source>Download the original weights and convert them to GGUF here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="177"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="178"/>
        <location filename="../../assistant/ui/models/manager.py" line="192"/>
        <source>Use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="179"/>
        <source>On this computer (drop .gguf files or model folders here)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="181"/>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="181"/>
        <source>Architecture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="181"/>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="183"/>
        <source>Import file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="184"/>
        <source>Import folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="186"/>
        <source>Import a Hugging Face model folder: it is converted to GGUF at full precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="187"/>
        <source>Convert with options…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="188"/>
        <source>Open the conversion wizard to choose a quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="189"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="190"/>
        <source>Info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="191"/>
        <source>Verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="224"/>
        <source>fits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="224"/>
        <source>tight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="224"/>
        <source>won&apos;t fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="228"/>
        <location filename="../../assistant/ui/models/manager.py" line="253"/>
        <source>bundled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="230"/>
        <location filename="../../assistant/ui/models/manager.py" line="254"/>
        <source>downloaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="233"/>
        <source>paused at {0}%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="233"/>
        <source>paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="236"/>
        <source> (reasoning)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="253"/>
        <source>imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="253"/>
        <source>converted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="254"/>
        <source>from the Hugging Face cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="259"/>
        <source>ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="259"/>
        <source>unusable: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="261"/>
        <source>in use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="262"/>
        <source> (in place)</source>
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
        <location filename="../../assistant/ui/models/manager.py" line="370"/>
        <source>Unexpected error: {0} (details in the log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="379"/>
        <source>Converting: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="384"/>
        <source>Verifying {0}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="386"/>
        <source>{0}: done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="389"/>
        <source>{0}: {1} of {2} · {3}/s{4}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="391"/>
        <source> · {0} left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="397"/>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="415"/>
        <source>, resumed at {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="417"/>
        <source>Downloaded {0} ({1}{2}; verified by {3})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="437"/>
        <source>Converted to {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="448"/>
        <source>Import a model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="448"/>
        <source>GGUF models (*.gguf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="453"/>
        <source>Import a Hugging Face model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="474"/>
        <source>Imported: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="485"/>
        <source>Stop listing {0}? The file stays where it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="486"/>
        <source>Delete {0} from the models folder?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="487"/>
        <source>Remove model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="495"/>
        <source>Removed {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="532"/>
        <source>Checking the checksum and loading the model once…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="539"/>
        <source>matches the {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="541"/>
        <source>DOES NOT MATCH the {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="542"/>
        <source>no reference known</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="543"/>
        <source>ok ({0:.1f} s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="544"/>
        <source>FAILED: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="545"/>
        <source>{0}
header: {1}
sha256: {2} — {3}
test load: {4}
{5}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="546"/>
        <source>ok</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="546"/>
        <source>bad</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="547"/>
        <location filename="../../assistant/ui/models/manager.py" line="549"/>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="547"/>
        <source>NOT OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="548"/>
        <source>Verified {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="549"/>
        <source>problems found</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SamplesStrip</name>
    <message>
        <location filename="../../assistant/ui/chat/samples_strip.py" line="237"/>
        <source>no answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/samples_strip.py" line="237"/>
        <source>no answer yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/samples_strip.py" line="238"/>
        <source>Vote: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/samples_strip.py" line="238"/>
        <source>Vote so far: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/samples_strip.py" line="242"/>
        <source>waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/samples_strip.py" line="242"/>
        <source>thinking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/samples_strip.py" line="242"/>
        <source>writing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/samples_strip.py" line="243"/>
        <source>done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/samples_strip.py" line="243"/>
        <source>cut off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/samples_strip.py" line="243"/>
        <source>stopped by the vote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/samples_strip.py" line="244"/>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/samples_strip.py" line="248"/>
        <source>%1 tok</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/samples_strip.py" line="256"/>
        <source>Sample %1: %2, %3 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/samples_strip.py" line="259"/>
        <source>answer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/samples_strip.py" line="261"/>
        <source>(chosen by the vote)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/samples_strip.py" line="270"/>
        <source>%1 samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/samples_strip.py" line="271"/>
        <source>Show or hide the samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/samples_strip.py" line="277"/>
        <source>Click to show this sample.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/samples_strip.py" line="281"/>
        <source>Samples of this reply</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="68"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="83"/>
        <source>Temperature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="88"/>
        <source>Top p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="91"/>
        <source>By model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="92"/>
        <source>By model: 4,096 tokens for a reasoning model, 1,024 for a chat model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="94"/>
        <source>Max tokens per reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="96"/>
        <source>Reasoning models work best at temperature 0.5–0.7 (0.6) and top p 0.95.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="99"/>
        <source>Sampling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="105"/>
        <source>Automatic (maths questions)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="105"/>
        <source>Always</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="106"/>
        <source>Never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="109"/>
        <source>Maths mode (step by step, \boxed{} answer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="113"/>
        <source>Samples per question (majority vote)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="114"/>
        <source>Stop the other samples once the vote is decided</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="115"/>
        <source>Samples are written together; when 3 of 5 agree, the rest cannot change the answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="120"/>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="125"/>
        <source>Role preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="127"/>
        <source>Leave out the oldest messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="128"/>
        <source>Refuse and tell me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="130"/>
        <source>When the conversation no longer fits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="131"/>
        <source>Show the reasoning while it is written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="134"/>
        <source>Reasoning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="140"/>
        <source>llama.cpp (built in)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="140"/>
        <source>vLLM (NVIDIA GPU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="141"/>
        <location filename="../../assistant/ui/settings/dialog.py" line="193"/>
        <source>OpenAI-compatible server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="144"/>
        <source>Backend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="168"/>
        <location filename="../../assistant/ui/settings/dialog.py" line="302"/>
        <source>Auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="169"/>
        <source>Auto: offload what fits in the GPU&apos;s free memory. 0: CPU only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="175"/>
        <source>GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="177"/>
        <source>vLLM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="182"/>
        <source>Share of GPU memory vLLM may use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="187"/>
        <source>Longest context for vLLM (tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="189"/>
        <source>This app&apos;s Python</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="191"/>
        <source>Python with vLLM installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="200"/>
        <source>The server&apos;s first model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="201"/>
        <source>Model name on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="230"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="233"/>
        <source>Any free port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="235"/>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="238"/>
        <source>API key clients must send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="243"/>
        <source>None (browsers cannot call it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="244"/>
        <source>Browser origins allowed (CORS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="248"/>
        <source>Largest reply a request may ask for (tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="252"/>
        <source>Requests that may wait in line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="253"/>
        <source>assistant serve: load another model on this computer when a request names it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="256"/>
        <source>One model at a time, as Ollama does. The app&apos;s own server always answers with the model loaded in this window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="270"/>
        <source>Hugging Face address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="271"/>
        <source>Leave empty for huggingface.co. Where it is slow or blocked (for example in mainland China), a mirror such as https://hf-mirror.com works.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="278"/>
        <source>Only for gated or private models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="279"/>
        <source>Hugging Face token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="280"/>
        <source>Nothing is downloaded unless you start a download in the model manager.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="284"/>
        <source>Downloads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="302"/>
        <source>No limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="302"/>
        <source>Custom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="304"/>
        <location filename="../../assistant/ui/settings/dialog.py" line="324"/>
        <source>Thinking budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="305"/>
        <source>Auto: %1 tokens of reasoning for maths, %2 for other questions (reasoning models).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="314"/>
        <source>Thinking budget (tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="333"/>
        <source>Tokens the answer always keeps: the reasoning is closed before it uses them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="335"/>
        <source>Answer reserve (tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="337"/>
        <source>Close it and answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="338"/>
        <source>Resample from before the loop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="338"/>
        <source>Do nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="341"/>
        <source>When the reasoning loops</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="342"/>
        <source>Always start replies with reasoning (&lt;think&gt;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="343"/>
        <source>For models that skip their reasoning; R1 models start with it anyway.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="355"/>
        <source>%1 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="368"/>
        <source>None in use: llama.cpp runs on the CPU (Help → Diagnostics says why).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="369"/>
        <source>%1: %2 GiB free of %3 GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="374"/>
        <source>%1: %2 of %3 layers on the GPU, the rest on the CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="387"/>
        <source>vLLM: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="410"/>
        <source>Another address than 127.0.0.1 lets other computers use the model: an API key is then required, and serving is refused without one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="195"/>
        <source>Server URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="198"/>
        <source>API key (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="158"/>
        <source>From the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="54"/>
        <source>vLLM needs an NVIDIA GPU; none was found (nvidia-smi is missing or reports no GPU).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="56"/>
        <source>%1 is older than vLLM supports (compute capability 7.0 or newer).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="57"/>
        <source>vLLM is not installed for %1. On a CUDA machine: pip install &apos;assistant[vllm]&apos; (or set the vLLM Python in settings).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="59"/>
        <source>vLLM can run on %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="160"/>
        <source>Context size (tokens)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="163"/>
        <source>Automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="165"/>
        <source>CPU threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="171"/>
        <source>GPU layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="204"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="210"/>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="214"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="216"/>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="217"/>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="219"/>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="220"/>
        <source>Appearance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="225"/>
        <source>Serve the loaded model to other programs (OpenAI API)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="406"/>
        <source>Only programs on this computer can connect (127.0.0.1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="263"/>
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
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
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
    <name>SpeedBar</name>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="103"/>
        <source>≈ {0} tok/s · answer ≈ {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="111"/>
        <source>≈ {0} tok/s here; a typical answer with reasoning ≈ {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="116"/>
        <source>{0} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="118"/>
        <source>{0} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="119"/>
        <source>{0} h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="122"/>
        <source>Measure speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="124"/>
        <source>Measure this computer&apos;s speed on the bundled model (about 20 s) to predict every model&apos;s speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="125"/>
        <source>Evaluate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="126"/>
        <source>Measure a model&apos;s accuracy on a task suite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="131"/>
        <source>Measuring this computer&apos;s speed (about 20 s)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="135"/>
        <source>Speed here: not measured yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="137"/>
        <source>Speed here (bundled model): prompt {0} tok/s, decode {1} tok/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="140"/>
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
    <name>ThinkingSection</name>
    <message>
        <location filename="../../assistant/ui/chat/thinking.py" line="95"/>
        <source>Thinking… %1 s · %2 / %3 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/thinking.py" line="97"/>
        <source>Thinking… %1 s · %2 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/thinking.py" line="99"/>
        <source>Thinking… %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/thinking.py" line="101"/>
        <source>Thought for %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/thinking.py" line="101"/>
        <source>Thought for %1 s · %2 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/thinking.py" line="102"/>
        <source>(budget reached)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/thinking.py" line="102"/>
        <source>(loop stopped)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/thinking.py" line="103"/>
        <source>(closed for the answer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/thinking.py" line="107"/>
        <source>Reasoning</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
