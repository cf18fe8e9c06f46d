<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AdapterChoice</name>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="185"/>
        <source>LoRA: %1</source>
        <translation>LoRA：%1</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="185"/>
        <source>Adapters</source>
        <translation>适配器</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="186"/>
        <source>LoRA adapters for this conversation, each with a scale</source>
        <translation>本对话使用的 LoRA 适配器，各有强度</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="233"/>
        <source>Choose the conversation&apos;s adapters again with the Adapters button beside the message box.</source>
        <translation>请用输入框旁的“适配器”按钮重新选择本对话的适配器。</translation>
    </message>
</context>
<context>
    <name>AdaptersDialog</name>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="59"/>
        <source>LoRA adapters for this conversation</source>
        <translation>本对话的 LoRA 适配器</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="64"/>
        <source>Adapters change how the model writes (a style, a field&apos;s knowledge). They apply to this conversation&apos;s next replies; the model is not reloaded.</source>
        <translation>适配器改变模型的写法（一种风格、某个领域的知识）。它们作用于本对话之后的回复，无需重新加载模型。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="75"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="76"/>
        <source>Add a PEFT adapter folder (adapter_config.json and adapter_model.safetensors) or a .gguf LoRA file</source>
        <translation>添加 PEFT 适配器文件夹（adapter_config.json 和 adapter_model.safetensors）或 .gguf LoRA 文件</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="110"/>
        <source>Scale of %1</source>
        <translation>%1 的强度</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="115"/>
        <source>Not available for the loaded model (removed, or made for another model).</source>
        <translation>当前模型无法使用（已删除，或为其他模型制作）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="116"/>
        <source>%1 (not available)</source>
        <translation>%1（不可用）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="119"/>
        <source>rank %1 · made for %2</source>
        <translation>秩 %1 · 为 %2 制作</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="124"/>
        <source>Scale 1 applies an adapter as trained; 0 turns it off.</source>
        <translation>强度 1 按训练时的效果应用适配器；0 即关闭。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="125"/>
        <source>No adapter fits the loaded model yet. Import one made for it (or with `assistant lora import PATH`).</source>
        <translation>还没有适合当前模型的适配器。请导入为它制作的适配器（或使用 `assistant lora import PATH`）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="133"/>
        <source>Choose a PEFT adapter (its adapter_config.json) or a .gguf LoRA</source>
        <translation>选择 PEFT 适配器（其 adapter_config.json）或 .gguf LoRA 文件</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="135"/>
        <source>LoRA adapters (adapter_config.json *.gguf)</source>
        <translation>LoRA 适配器 (adapter_config.json *.gguf)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/adapters.py" line="155"/>
        <source>Imported %1.</source>
        <translation>已导入 %1。</translation>
    </message>
</context>
<context>
    <name>AppearancePage</name>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="20"/>
        <source>System language</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="24"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="26"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="27"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="29"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
</context>
<context>
    <name>BranchNavigator</name>
    <message>
        <location filename="../../assistant/ui/message/navigator.py" line="38"/>
        <source>Previous version</source>
        <translation>上一个版本</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/navigator.py" line="39"/>
        <source>Next version</source>
        <translation>下一个版本</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/navigator.py" line="40"/>
        <source>Versions of this message</source>
        <translation>这条消息的各个版本</translation>
    </message>
</context>
<context>
    <name>CatalogTable</name>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="42"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="42"/>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="42"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="42"/>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="42"/>
        <source>Fit</source>
        <translation>能否运行</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="43"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="43"/>
        <source>Speed here</source>
        <translation>本机速度</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="50"/>
        <source>fits</source>
        <translation>可以运行</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="50"/>
        <source>tight</source>
        <translation>勉强</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="50"/>
        <source>won&apos;t fit</source>
        <translation>放不下</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="54"/>
        <source>bundled</source>
        <translation>内置</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="56"/>
        <source>downloaded</source>
        <translation>已下载</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="59"/>
        <source>paused at {0}%</source>
        <translation>已暂停（{0}%）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="59"/>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="62"/>
        <source> (reasoning)</source>
        <translation>（推理）</translation>
    </message>
</context>
<context>
    <name>ChatSession</name>
    <message>
        <location filename="../../assistant/ui/chat/session.py" line="119"/>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/session.py" line="357"/>
        <source>%1 (branch)</source>
        <translation>%1（分支）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/session.py" line="357"/>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="104"/>
        <source>Type a message. Enter sends, Shift+Enter starts a new line.</source>
        <translation>输入消息。Enter 发送，Shift+Enter 换行。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="105"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="106"/>
        <location filename="../../assistant/ui/chat/view.py" line="140"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="106"/>
        <location filename="../../assistant/ui/chat/view.py" line="140"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="107"/>
        <location filename="../../assistant/ui/chat/view.py" line="141"/>
        <source>Stop the reply (Esc)</source>
        <translation>停止回复 (Esc)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="107"/>
        <location filename="../../assistant/ui/chat/view.py" line="141"/>
        <source>Send (Enter)</source>
        <translation>发送 (Enter)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="108"/>
        <source>Ask anything, in English or Chinese.

Ctrl+N new chat · Ctrl+F search · Esc stop · Ctrl+R regenerate · Ctrl+, settings</source>
        <translation>用中文或英文提问。

Ctrl+N 新对话 · Ctrl+F 搜索 · Esc 停止 · Ctrl+R 重新生成 · Ctrl+, 设置</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/view.py" line="110"/>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>CodeBlocks</name>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="92"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="92"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="92"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="101"/>
        <source>(only Python code runs here)</source>
        <translation>（这里只能运行 Python 代码）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="112"/>
        <source>Running in the sandbox…</source>
        <translation>正在沙箱中运行…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="125"/>
        <source>Copy output</source>
        <translation>复制输出</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="128"/>
        <source>… %1 characters not shown …</source>
        <translation>…… 另有 %1 个字符未显示 ……</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="137"/>
        <source>(no output)</source>
        <translation>（无输出）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="139"/>
        <source>Sandbox: %1</source>
        <translation>沙箱：%1</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="149"/>
        <source>Stopped after %1 s</source>
        <translation>已在 %1 秒后停止</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="152"/>
        <source>Timed out: stopped at the %1 s limit</source>
        <translation>超时：在 %1 秒的时限处被终止</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="155"/>
        <source>the memory or CPU time limit</source>
        <translation>内存或 CPU 时间限制</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="155"/>
        <source>the CPU time limit</source>
        <translation>CPU 时间限制</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="156"/>
        <source>a forbidden system call</source>
        <translation>被禁止的系统调用</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="156"/>
        <source>a crash</source>
        <translation>程序崩溃</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="157"/>
        <source>a limit</source>
        <translation>某项限制</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="158"/>
        <source>Killed by signal %1 (%2) after %3 s</source>
        <translation>%3 秒后被信号 %1 终止（%2）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="160"/>
        <source>Exit status %1 · %2 s</source>
        <translation>退出状态 %1 · %2 秒</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="168"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="169"/>
        <source>%1 MB memory</source>
        <translation>%1 MB 内存</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="170"/>
        <source>no network</source>
        <translation>无网络</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="171"/>
        <source>a %1 MB scratch folder (at most %2 files)</source>
        <translation>%1 MB 的临时文件夹（最多 %2 个文件）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="173"/>
        <source>no other programs</source>
        <translation>不能启动其他程序</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="174"/>
        <source>up to %1 threads</source>
        <translation>最多 %1 个线程</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="174"/>
        <source>no threads</source>
        <translation>不能创建线程</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/code_blocks.py" line="175"/>
        <source>no access to your files</source>
        <translation>无法访问你的文件</translation>
    </message>
</context>
<context>
    <name>CodeRuns</name>
    <message>
        <location filename="../../assistant/ui/chat/code_runs.py" line="119"/>
        <source>The code could not be run: %1</source>
        <translation>代码无法运行：%1</translation>
    </message>
</context>
<context>
    <name>ConversationActions</name>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="74"/>
        <source>Deleted “%1”.</source>
        <translation>已删除“%1”。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="75"/>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="75"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="120"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="120"/>
        <location filename="../../assistant/ui/conversations/actions.py" line="140"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="122"/>
        <location filename="../../assistant/ui/conversations/actions.py" line="131"/>
        <source>Export conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="132"/>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/actions.py" line="139"/>
        <source>Import conversation</source>
        <translation>导入对话</translation>
    </message>
</context>
<context>
    <name>ConvertWizard</name>
    <message>
        <location filename="../../assistant/ui/models/convert_worker.py" line="39"/>
        <source>Cannot read this folder</source>
        <translation>无法读取此文件夹</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_worker.py" line="59"/>
        <source>Conversion failed</source>
        <translation>转换失败</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_worker.py" line="60"/>
        <source>Unexpected error: {0}</source>
        <translation>意外错误：{0}</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="144"/>
        <source>Convert a Hugging Face model</source>
        <translation>转换 Hugging Face 模型</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="145"/>
        <source>Folder with config.json, tokenizer.json and *.safetensors</source>
        <translation>包含 config.json、tokenizer.json 和 *.safetensors 的文件夹</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="146"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="147"/>
        <source>None: keep full precision (largest)</source>
        <translation>不量化：保持全精度（文件最大）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="154"/>
        <source>auto (keep the checkpoint&apos;s precision)</source>
        <translation>自动（保持原模型的精度）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="155"/>
        <source>Replace the existing file</source>
        <translation>替换已有文件</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="156"/>
        <source>Convert</source>
        <translation>转换</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="157"/>
        <source>Model folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="157"/>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="158"/>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="158"/>
        <source>Estimate</source>
        <translation>估算</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="158"/>
        <source>Saved as</source>
        <translation>保存为</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="164"/>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="212"/>
        <source>Choose a model folder.</source>
        <translation>请选择一个模型文件夹。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="170"/>
        <source>smallest, clearly worse answers</source>
        <translation>最小，回答质量明显下降</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="171"/>
        <source>very small, noticeably worse</source>
        <translation>很小，质量有所下降</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="172"/>
        <source>very small</source>
        <translation>很小</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="172"/>
        <source>small</source>
        <translation>小</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="173"/>
        <source>legacy 4-bit</source>
        <translation>旧式 4 位</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="173"/>
        <source>small, good</source>
        <translation>小，效果好</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="174"/>
        <source>recommended: small and good</source>
        <translation>推荐：体积小、效果好</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="175"/>
        <source>legacy 5-bit</source>
        <translation>旧式 5 位</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="175"/>
        <source>very good</source>
        <translation>效果很好</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="176"/>
        <source>very good, a bit larger</source>
        <translation>效果很好，体积稍大</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="177"/>
        <source>near lossless</source>
        <translation>接近无损</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="178"/>
        <source>practically lossless, large</source>
        <translation>几乎无损，体积大</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="196"/>
        <source>Choose a Hugging Face model folder</source>
        <translation>选择 Hugging Face 模型文件夹</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="214"/>
        <source>Reading the folder…</source>
        <translation>正在读取文件夹…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="240"/>
        <source>{name}: {arch}, {params:.2f} B parameters, {layers} layers, {dtype} weights ({size:.2f} GiB)</source>
        <translation>{name}：{arch}，{params:.2f}B 参数，{layers} 层，{dtype} 权重（{size:.2f} GiB）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="276"/>
        <source>File: about {size:.2f} GiB ({precision})</source>
        <translation>文件：约 {size:.2f} GiB（{precision}）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="278"/>
        <source>Disk space needed while converting: {disk:.2f} GiB (free: {free:.1f} GiB)</source>
        <translation>转换过程中需要的磁盘空间：{disk:.2f} GiB（可用：{free:.1f} GiB）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="280"/>
        <source>Memory to chat with {ctx} tokens of context: about {ram:.1f} GiB</source>
        <translation>以 {ctx} 词元上下文对话所需内存：约 {ram:.1f} GiB</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="282"/>
        <source> (this computer: {total:.1f} GiB)</source>
        <translation>（本机：{total:.1f} GiB）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="285"/>
        <source>Not enough free disk space.</source>
        <translation>磁盘可用空间不足。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="287"/>
        <source>This may not fit in memory; choose a smaller quantization.</source>
        <translation>内存可能放不下；请选择更小的量化。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="298"/>
        <source>A file with this name already exists.</source>
        <translation>已存在同名文件。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="313"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="313"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="327"/>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="334"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="357"/>
        <source>Done: {name} is in the model manager, ready to chat.</source>
        <translation>完成：{name} 已在模型管理中，可以开始对话。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/convert_wizard.py" line="376"/>
        <source>Cancelled. No files were kept.</source>
        <translation>已取消，未保留任何文件。</translation>
    </message>
</context>
<context>
    <name>DemoNote</name>
    <message>
        <location filename="../../assistant/ui/demo_note.py" line="45"/>
        <source>The built-in model (SmolLM2-135M) is a small demo for trying the app: its answers are weak. For real answers, download DeepSeek-R1-Distill-Qwen-1.5B in Models…</source>
        <translation>内置模型（SmolLM2-135M）只是用来试用本应用的小型演示，回答质量较弱。要获得真正的回答，请在“模型…”中下载 DeepSeek-R1-Distill-Qwen-1.5B。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/demo_note.py" line="47"/>
        <source>Open Models…</source>
        <translation>打开模型…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/demo_note.py" line="48"/>
        <location filename="../../assistant/ui/demo_note.py" line="49"/>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>DocumentsChoice</name>
    <message>
        <location filename="../../assistant/ui/chat/documents_choice.py" line="56"/>
        <source>Documents: %1</source>
        <translation>文档：%1</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/documents_choice.py" line="56"/>
        <source>Documents</source>
        <translation>文档</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/documents_choice.py" line="57"/>
        <source>Answer this conversation&apos;s questions from your documents, with sources</source>
        <translation>用你的文档回答本对话中的问题，并注明出处</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/documents_choice.py" line="64"/>
        <source>Answer from:</source>
        <translation>依据：</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/documents_choice.py" line="64"/>
        <source>No collections yet</source>
        <translation>还没有文档集</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/documents_choice.py" line="67"/>
        <source>%1 (removed)</source>
        <translation>%1（已删除）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/documents_choice.py" line="74"/>
        <source>No documents</source>
        <translation>不使用文档</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/documents_choice.py" line="77"/>
        <source>Manage documents…</source>
        <translation>管理文档…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/documents_choice.py" line="105"/>
        <source>The collection %1 is no longer on this machine.</source>
        <translation>文档集 %1 已不在这台电脑上。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/documents_choice.py" line="106"/>
        <source>Choose the conversation&apos;s documents again with the Documents button beside the message box.</source>
        <translation>请用消息框旁的“文档”按钮重新选择本对话使用的文档。</translation>
    </message>
</context>
<context>
    <name>DocumentsPanel</name>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="147"/>
        <source>Documents</source>
        <translation>文档</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="149"/>
        <source>Collections of your own files — PDF, Word (DOCX), Markdown, HTML, text in any encoding, source code — indexed on this machine. A conversation answers from the collections chosen with the Documents button beside the message box, citing its sources. Drop files or folders here to add them.</source>
        <translation>由你自己的文件组成的文档集（PDF、Word (DOCX)、Markdown、HTML、任意编码的文本、源代码），在这台电脑上建立索引。对话会依据消息框旁“文档”按钮所选的文档集回答，并注明出处。把文件或文件夹拖到这里即可添加。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="152"/>
        <source>New collection…</source>
        <translation>新建文档集…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="153"/>
        <location filename="../../assistant/ui/documents/panel.py" line="253"/>
        <source>Remove collection</source>
        <translation>删除文档集</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="154"/>
        <source>Delete the collection&apos;s index (your files are not touched)</source>
        <translation>删除文档集的索引（不会动你的文件）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="155"/>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="156"/>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="157"/>
        <source>A folder is kept in sync: new, changed and removed files are noticed at each re-index</source>
        <translation>文件夹会保持同步：每次重新索引时都会发现新增、修改和删除的文件</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="159"/>
        <source>Re-index</source>
        <translation>重新索引</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="160"/>
        <source>Index what changed in the collection&apos;s folders and files</source>
        <translation>为文档集中有变化的文件夹和文件重新建立索引</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="161"/>
        <source>Remove from collection</source>
        <translation>从文档集中移除</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="162"/>
        <source>Remove the selected folders or files from the collection&apos;s index</source>
        <translation>从文档集的索引中移除所选的文件夹或文件</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="163"/>
        <source>Use in this conversation</source>
        <translation>在本对话中使用</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="164"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/panel.py" line="191"/>
        <location filename="../../assistant/ui/documents/panel.py" line="217"/>
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n 个文件</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="209"/>
        <source>No collection yet: make one with New collection…, or drop files here.</source>
        <translation>还没有文档集：用“新建文档集…”创建一个，或把文件拖到这里。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/panel.py" line="217"/>
        <source>%n passage(s)</source>
        <translation>
            <numerusform>%n 个段落</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="218"/>
        <source>%1: %2 · %3</source>
        <translation>%1：%2 · %3</translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/panel.py" line="220"/>
        <source>%n not indexed</source>
        <translation>
            <numerusform>%n 个未索引</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="243"/>
        <source>New collection</source>
        <translation>新建文档集</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="243"/>
        <source>Name of the collection:</source>
        <translation>文档集名称：</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="254"/>
        <source>Remove the collection %1? Its index is deleted; your files are not touched.</source>
        <translation>删除文档集 %1？它的索引会被删除，你的文件不会被改动。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="266"/>
        <source>Removed the collection %1.</source>
        <translation>已删除文档集 %1。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="279"/>
        <source>My documents</source>
        <translation>我的文档</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="284"/>
        <source>Not found: %1</source>
        <translation>找不到：%1</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="303"/>
        <source>Select a folder or file added to the collection (a top row) to remove it.</source>
        <translation>请选择添加到文档集的文件夹或文件（最上层的一行）再移除。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/panel.py" line="312"/>
        <source>Removed %n file(s) from the index.</source>
        <translation>
            <numerusform>已从索引中移除 %n 个文件。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="317"/>
        <source>Add files to the collection</source>
        <translation>向文档集添加文件</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="318"/>
        <source>Documents (*.pdf *.docx *.md *.markdown *.txt *.html *.htm *.rst *.csv *.py *.js *.ts *.java *.c *.cpp *.go *.rs);;All files (*)</source>
        <translation>文档 (*.pdf *.docx *.md *.markdown *.txt *.html *.htm *.rst *.csv *.py *.js *.ts *.java *.c *.cpp *.go *.rs);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="325"/>
        <source>Add a folder to the collection</source>
        <translation>向文档集添加文件夹</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="350"/>
        <source>Looking for documents in %1…</source>
        <translation>正在 %1 中查找文档…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="365"/>
        <source>Loading the embedding model…</source>
        <translation>正在加载嵌入模型…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="376"/>
        <source>%1 of %2 MB · %3 MB/s</source>
        <translation>%1 / %2 MB · %3 MB/s</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="379"/>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="381"/>
        <source>Indexing %1</source>
        <translation>正在索引 %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/panel.py" line="387"/>
        <source>%n indexed</source>
        <translation>
            <numerusform>已索引 %n 个</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/panel.py" line="389"/>
        <source>%n unchanged</source>
        <translation>
            <numerusform>%n 个未变</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/panel.py" line="391"/>
        <source>%n removed</source>
        <translation>
            <numerusform>已移除 %n 个</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/panel.py" line="393"/>
        <source>%n could not be indexed (the reasons are in the list)</source>
        <translation>
            <numerusform>%n 个无法索引（原因见列表）</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="396"/>
        <source>cancelled; the rest is indexed at the next re-index</source>
        <translation>已取消；其余部分会在下次重新索引时处理</translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/panel.py" line="400"/>
        <source>… and %n more (see the list)</source>
        <translation>
            <numerusform>……还有 %n 个（见列表）</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/panel.py" line="414"/>
        <source>Indexing %1 stopped: %2</source>
        <translation>索引 %1 已停止：%2</translation>
    </message>
</context>
<context>
    <name>DownloadsPage</name>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="104"/>
        <source>Hugging Face address</source>
        <translation>Hugging Face 地址</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="105"/>
        <source>Leave empty for huggingface.co. Where it is slow or blocked (for example in mainland China), a mirror such as https://hf-mirror.com works.</source>
        <translation>留空则使用 huggingface.co。若访问缓慢或无法访问（例如在中国大陆），可使用镜像，如 https://hf-mirror.com。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="112"/>
        <source>Only for gated or private models</source>
        <translation>仅在下载受限或私有模型时需要</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="113"/>
        <source>Hugging Face token</source>
        <translation>Hugging Face 令牌</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="114"/>
        <source>Nothing is downloaded unless you start a download in the model manager.</source>
        <translation>除非您在模型管理中开始下载，否则不会下载任何内容。</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../assistant/ui/common/errors.py" line="38"/>
        <source>Model file not found</source>
        <translation>找不到模型文件</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/common/errors.py" line="39"/>
        <source>Model not supported</source>
        <translation>不支持此模型</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/common/errors.py" line="40"/>
        <source>Model file cannot be used</source>
        <translation>模型文件无法使用</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/common/errors.py" line="41"/>
        <source>Not enough memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/common/errors.py" line="42"/>
        <source>Model failed to load</source>
        <translation>模型加载失败</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/common/errors.py" line="43"/>
        <source>Conversation too long</source>
        <translation>对话过长</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/common/errors.py" line="44"/>
        <source>Generation failed</source>
        <translation>生成失败</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/common/errors.py" line="45"/>
        <source>Backend unavailable</source>
        <translation>后端不可用</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/common/errors.py" line="46"/>
        <source>Invalid setting</source>
        <translation>设置无效</translation>
    </message>
</context>
<context>
    <name>EvaluateDialog</name>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="130"/>
        <source>Evaluate a model</source>
        <translation>评测模型</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="131"/>
        <source>Suite:</source>
        <translation>题集：</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="132"/>
        <source>Built-in suite</source>
        <translation>内置题集</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="133"/>
        <source>A JSONL file…</source>
        <translation>JSONL 文件…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="134"/>
        <source>Kinds:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="139"/>
        <source>Questions about the built-in documents (Chinese and English PDFs, Word files, Markdown...), answered from them with retrieval; the embedding model indexes them first</source>
        <translation>关于内置文档（中英文 PDF、Word 文件、Markdown 等）的问题，通过检索依据这些文档回答；嵌入模型会先为它们建立索引</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="141"/>
        <source>Options:</source>
        <translation>选项：</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="142"/>
        <source>Runs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="143"/>
        <source>Tasks per kind</source>
        <translation>每类题数</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="144"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="145"/>
        <source>Max tokens</source>
        <translation>最大词元数</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="146"/>
        <source>model default</source>
        <translation>模型默认</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="147"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="148"/>
        <source>Backend: {0}</source>
        <translation>后端：{0}</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="149"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="150"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="197"/>
        <source>Tasks to run</source>
        <translation>要运行的题目</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="197"/>
        <source>Task files (*.jsonl)</source>
        <translation>题目文件 (*.jsonl)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="231"/>
        <source>Choose at least one kind of task.</source>
        <translation>请至少选择一类题目。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="233"/>
        <source>No usable model on this computer.</source>
        <translation>本机没有可用的模型。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="235"/>
        <source>Choose a task file.</source>
        <translation>请选择题目文件。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="266"/>
        <source>Loading {0}…</source>
        <translation>正在加载 {0}…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="274"/>
        <source>Stopping after the current token…</source>
        <translation>当前词元结束后停止…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="279"/>
        <source> · {0} left</source>
        <translation> · 剩余 {0}</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="281"/>
        <source>Task {0}/{1} · {2} {3} · run {4}{5}</source>
        <translation>第 {0}/{1} 题 · {2} {3} · 第 {4} 轮{5}</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="296"/>
        <source>Stopped: {0} of {1} tasks recorded. Start again to continue.</source>
        <translation>已停止：已记录 {0}/{1} 题。再次开始可继续。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="299"/>
        <source>Finished: {0} tasks.</source>
        <translation>完成：共 {0} 题。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/page.py" line="308"/>
        <source>Unexpected error: {0} (details in the log)</source>
        <translation>意外错误：{0}（详情见日志）</translation>
    </message>
</context>
<context>
    <name>FileProblems</name>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="17"/>
        <source>It is not a text file: it holds binary data (NUL or control bytes), not text.</source>
        <translation>它不是文本文件：里面是二进制数据（NUL 或控制字节），不是文字。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="18"/>
        <source>It is not a text file: its bytes are not text in any known encoding.</source>
        <translation>它不是文本文件：其字节不是任何已知编码的文字。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="19"/>
        <source>It is not a text file: %1.</source>
        <translation>它不是文本文件：%1。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="20"/>
        <source>It changed while it was being read; it will be indexed at the next sync.</source>
        <translation>读取时文件发生了变化；下次同步时会重新索引。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="21"/>
        <source>It is encrypted in a way this app cannot open (%1).</source>
        <translation>它的加密方式本应用无法打开（%1）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="22"/>
        <source>It is protected by a password.</source>
        <translation>它受密码保护。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="23"/>
        <source>It is not a readable PDF (%1).</source>
        <translation>它不是可读取的 PDF（%1）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="24"/>
        <source>None of its %1 pages could be read (%2).</source>
        <translation>它的 %1 页都无法读取（%2）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="25"/>
        <source>It would unpack to %1 MB of XML (a zip bomb?); the limit is %2 MB.</source>
        <translation>解压后的 XML 将达 %1 MB（可能是压缩炸弹）；上限为 %2 MB。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="26"/>
        <source>Its XML unpacks to more than %1 MB (a zip bomb?).</source>
        <translation>其 XML 解压后超过 %1 MB（可能是压缩炸弹）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="27"/>
        <source>It is not a valid DOCX file (not a readable zip: %1).</source>
        <translation>它不是有效的 DOCX 文件（不是可读取的 zip：%1）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="28"/>
        <source>It is not a Word document (no word/document.xml inside).</source>
        <translation>它不是 Word 文档（里面没有 word/document.xml）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="29"/>
        <source>Its XML is damaged (%1).</source>
        <translation>其 XML 已损坏（%1）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="30"/>
        <source>It cannot be unpacked (%1).</source>
        <translation>无法解压（%1）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="31"/>
        <source>It is a symbolic link that loops back on itself.</source>
        <translation>它是指向自身的循环符号链接。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="32"/>
        <source>It is a link to something that does not exist, or it was removed.</source>
        <translation>它是指向不存在目标的链接，或文件已被删除。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="33"/>
        <source>It cannot be read: permission denied.</source>
        <translation>无法读取：没有权限。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="34"/>
        <source>It cannot be read: %1.</source>
        <translation>无法读取：%1。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="35"/>
        <source>It is not a regular file (a device, pipe or socket).</source>
        <translation>它不是普通文件（设备、管道或套接字）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="36"/>
        <source>It is too large to index (%1 MB; the limit is %2 MB).</source>
        <translation>文件太大，无法索引（%1 MB；上限为 %2 MB）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="37"/>
        <source>It is too complex to read (%1).</source>
        <translation>结构过于复杂，无法读取（%1）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="38"/>
        <source>Only its first %1 characters were indexed.</source>
        <translation>只索引了前 %1 个字符。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/problem_words.py" line="40"/>
        <source>%1 is not there any more: its documents are kept until it is back or removed from the collection.</source>
        <translation>%1 已不存在：在它恢复或从合集中移除之前，其中的文档会保留。</translation>
    </message>
</context>
<context>
    <name>FilesTree</name>
    <message>
        <location filename="../../assistant/ui/documents/files_tree.py" line="39"/>
        <source>Folder or file</source>
        <translation>文件夹或文件</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/files_tree.py" line="39"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/files_tree.py" line="40"/>
        <source>The collection&apos;s folders and files</source>
        <translation>文档集中的文件夹和文件</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/files_tree.py" line="64"/>
        <source>no documents found yet</source>
        <translation>尚未找到文档</translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/files_tree.py" line="67"/>
        <source>%n passage(s)</source>
        <translation>
            <numerusform>%n 个段落</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/documents/files_tree.py" line="68"/>
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n 页</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/files_tree.py" line="99"/>
        <source>Not indexed: %1</source>
        <translation>未索引：%1</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/files_tree.py" line="105"/>
        <source>Indexing… %1%</source>
        <translation>正在索引… %1%</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/files_tree.py" line="107"/>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/files_tree.py" line="125"/>
        <source>unchanged</source>
        <translation>未变</translation>
    </message>
</context>
<context>
    <name>HelpActions</name>
    <message>
        <location filename="../../assistant/ui/help_menu.py" line="27"/>
        <location filename="../../assistant/ui/help_menu.py" line="35"/>
        <source>Diagnostics</source>
        <translation>诊断信息</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/help_menu.py" line="28"/>
        <source>What runs on this computer, and why. Include this text when you report a problem.</source>
        <translation>本机上运行的是什么，以及原因。报告问题时请附上这段文字。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/help_menu.py" line="41"/>
        <source>About Assistant</source>
        <translation>关于 Assistant</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/help_menu.py" line="42"/>
        <source>Assistant: an offline assistant for small local reasoning models.
Nothing leaves this computer unless you start a download or connect to a server.</source>
        <translation>Assistant：面向本地小型推理模型的离线助手。
除非您开始下载或连接服务器，任何数据都不会离开这台电脑。</translation>
    </message>
</context>
<context>
    <name>InfoBox</name>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="45"/>
        <source>%1 tokens</source>
        <translation>%1 个词元</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="48"/>
        <source>fits</source>
        <translation>可以运行</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="48"/>
        <source>tight</source>
        <translation>勉强</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="48"/>
        <source>won&apos;t fit</source>
        <translation>放不下</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="51"/>
        <source>%1 at a context of %2 (%3)</source>
        <translation>上下文 %2时需 %1（%3）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="56"/>
        <source>not downloaded</source>
        <translation>未下载</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="57"/>
        <source>bundled with the app</source>
        <translation>随应用附带</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="57"/>
        <source>downloaded</source>
        <translation>已下载</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="58"/>
        <source>imported</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="58"/>
        <source>converted</source>
        <translation>转换所得</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="59"/>
        <source>from the Hugging Face cache</source>
        <translation>来自 Hugging Face 缓存</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="61"/>
        <source> (in place)</source>
        <translation>（原位置）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="62"/>
        <source>ready</source>
        <translation>可用</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="63"/>
        <source>unusable: %1</source>
        <translation>不可用：%1</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="67"/>
        <source>checked against the catalog&apos;s SHA-256</source>
        <translation>已按目录中的 SHA-256 校验</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="68"/>
        <source>checked against the hub&apos;s SHA-256</source>
        <translation>已按模型仓库的 SHA-256 校验</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="69"/>
        <source>checked against the hub&apos;s git hash</source>
        <translation>已按模型仓库的 git 哈希校验</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="70"/>
        <source>size checked only</source>
        <translation>只核对了大小</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="70"/>
        <source>not checked yet</source>
        <translation>尚未校验</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="80"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="82"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="83"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="84"/>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="85"/>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="86"/>
        <source>Trained context</source>
        <translation>训练上下文</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="87"/>
        <source>Prompt format</source>
        <translation>提示格式</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="88"/>
        <source>plain text</source>
        <translation>纯文本</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="90"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="90"/>
        <source>embedding model (for documents)</source>
        <translation>嵌入模型（用于文档）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="92"/>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="95"/>
        <source>Recommended sampling</source>
        <translation>推荐采样</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="95"/>
        <source>temperature %1 · top p %2</source>
        <translation>温度 %1 · top p %2</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="100"/>
        <source>%1 quantization</source>
        <translation>%1 量化</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="100"/>
        <source>file %1 · needs %2</source>
        <translation>文件 %1 · %2</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="103"/>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="105"/>
        <source>File size</source>
        <translation>文件大小</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="107"/>
        <source>Memory needed</source>
        <translation>所需内存</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="109"/>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="111"/>
        <source>Vocabulary</source>
        <translation>词表</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="114"/>
        <source>KV cache</source>
        <translation>KV 缓存</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="114"/>
        <source>%1 per token</source>
        <translation>每个词元 %1</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="116"/>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="118"/>
        <source>Runs here with</source>
        <translation>在本机运行时</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="118"/>
        <source>%1 threads · %2 layers on the GPU</source>
        <translation>%1 个线程 · %2 层在 GPU 上</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="122"/>
        <source>Tensor types</source>
        <translation>张量类型</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="124"/>
        <source>GGUF file</source>
        <translation>GGUF 文件</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="124"/>
        <source>version %1 · %2 tensors</source>
        <translation>版本 %1 · %2 个张量</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="127"/>
        <source>Checksum</source>
        <translation>校验</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="129"/>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/info_box.py" line="131"/>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
</context>
<context>
    <name>LibraryTable</name>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="94"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="94"/>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="94"/>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="94"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="94"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="95"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="100"/>
        <source>bundled</source>
        <translation>内置</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="100"/>
        <source>imported</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="100"/>
        <source>converted</source>
        <translation>转换所得</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="101"/>
        <source>downloaded</source>
        <translation>已下载</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="101"/>
        <source>from the Hugging Face cache</source>
        <translation>来自 Hugging Face 缓存</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="105"/>
        <source>ready</source>
        <translation>可用</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="105"/>
        <source>unusable: {0}</source>
        <translation>不可用：{0}</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="107"/>
        <source>in use</source>
        <translation>使用中</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/tables.py" line="108"/>
        <source> (in place)</source>
        <translation>（原位置）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="169"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="170"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="171"/>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="172"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="175"/>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="175"/>
        <source>Import conversation (JSON)…</source>
        <translation>导入对话 (JSON)…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="176"/>
        <source>Export as Markdown…</source>
        <translation>导出为 Markdown…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="176"/>
        <source>Export as JSON…</source>
        <translation>导出为 JSON…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="177"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="177"/>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="177"/>
        <source>Stop the reply</source>
        <translation>停止回复</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="178"/>
        <source>Regenerate the last reply</source>
        <translation>重新生成最后一条回复</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="178"/>
        <source>Rename conversation</source>
        <translation>重命名对话</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="179"/>
        <source>Delete conversation</source>
        <translation>删除对话</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="179"/>
        <source>Undo delete</source>
        <translation>撤销删除</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="180"/>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="180"/>
        <source>Models…</source>
        <translation>模型管理…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="181"/>
        <source>Convert a Hugging Face model…</source>
        <translation>转换 Hugging Face 模型…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="181"/>
        <source>Reload the model</source>
        <translation>重新加载模型</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="182"/>
        <source>Open log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="182"/>
        <source>About Assistant</source>
        <translation>关于 Assistant</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="183"/>
        <source>Diagnostics…</source>
        <translation>诊断信息…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="183"/>
        <source>Documents…</source>
        <translation>文档…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="281"/>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="417"/>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="418"/>
        <source>The app keeps running. The details are in the log file (Help → Open log folder).</source>
        <translation>应用仍在运行。详细信息见日志文件（帮助 → 打开日志文件夹）。</translation>
    </message>
</context>
<context>
    <name>MessageHeader</name>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="72"/>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="72"/>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="73"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="74"/>
        <source>Copy this message</source>
        <translation>复制这条消息</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="75"/>
        <source>Copy this reply as Markdown (formulas as LaTeX)</source>
        <translation>以 Markdown 复制这条回复（公式为 LaTeX）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="76"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="77"/>
        <source>Edit this message and send it again</source>
        <translation>编辑这条消息并重新发送</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="78"/>
        <source>Edit this reply: the next turn goes on from your words</source>
        <translation>编辑这条回复：下一轮将接着你改写的内容继续</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="79"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="80"/>
        <source>Generate this reply again (Ctrl+R)</source>
        <translation>重新生成这条回复 (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="81"/>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="82"/>
        <source>Write on from where the reply was cut off</source>
        <translation>从回复被截断处继续写</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="84"/>
        <source>More</source>
        <translation>更多</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="85"/>
        <source>Branch from here</source>
        <translation>从这里分支</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="86"/>
        <source>A new conversation with this one up to this message</source>
        <translation>新建对话，包含本对话到这条消息为止的内容</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="103"/>
        <source>LoRA: %1</source>
        <translation>LoRA：%1</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="105"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="105"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="106"/>
        <source>interrupted (the app closed while it was being written)</source>
        <translation>已中断（生成过程中应用被关闭）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="111"/>
        <source>%1 tokens · %2 tok/s</source>
        <translation>%1 个词元 · %2 词元/秒</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/header.py" line="115"/>
        <source>Cut off at %1 tokens</source>
        <translation>在 %1 个词元处被截断</translation>
    </message>
</context>
<context>
    <name>MessageWidget</name>
    <message>
        <location filename="../../assistant/ui/message/widget.py" line="145"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/widget.py" line="146"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/widget.py" line="146"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/widget.py" line="167"/>
        <source>Answer: %1</source>
        <translation>答案：%1</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/widget.py" line="226"/>
        <source>Thinking…</source>
        <translation>思考中…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/widget.py" line="226"/>
        <location filename="../../assistant/ui/message/widget.py" line="241"/>
        <source>Writing…</source>
        <translation>正在撰写…</translation>
    </message>
</context>
<context>
    <name>ModelActions</name>
    <message>
        <location filename="../../assistant/ui/models/actions.py" line="72"/>
        <source>Model converted</source>
        <translation>模型已转换</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/actions.py" line="73"/>
        <source>Switch to the new model %1 now?</source>
        <translation>现在切换到新模型 %1 吗？</translation>
    </message>
</context>
<context>
    <name>ModelManagerDialog</name>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="151"/>
        <source>Select a model to see its details here.</source>
        <translation>选择一个模型，在这里查看详情。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="158"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="159"/>
        <source>Context size for the estimates</source>
        <translation>估算用的上下文长度</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="160"/>
        <source>Model details</source>
        <translation>模型详情</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="161"/>
        <source>This computer: {0}</source>
        <translation>本机：{0}</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="162"/>
        <source>Context for estimates:</source>
        <translation>估算所用上下文：</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="163"/>
        <source> tokens</source>
        <translation> 词元</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="164"/>
        <source>Catalog</source>
        <translation>模型目录</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="166"/>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="167"/>
        <source>Download original &amp;&amp; convert</source>
        <translation>下载原始模型并转换</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="168"/>
        <source>Download the original weights and convert them to GGUF here</source>
        <translation>下载原始权重并在本机转换为 GGUF</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="169"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="170"/>
        <location filename="../../assistant/ui/models/manager.py" line="182"/>
        <source>Use</source>
        <translation>使用</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="171"/>
        <source>On this computer (drop .gguf files or model folders here)</source>
        <translation>本机上的模型（可将 .gguf 文件或模型文件夹拖放到这里）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="173"/>
        <source>Import file…</source>
        <translation>导入文件…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="174"/>
        <source>Import folder…</source>
        <translation>导入文件夹…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="176"/>
        <source>Import a Hugging Face model folder: it is converted to GGUF at full precision</source>
        <translation>导入 Hugging Face 模型文件夹：以全精度转换为 GGUF</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="177"/>
        <source>Convert with options…</source>
        <translation>转换（可选量化）…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="178"/>
        <source>Open the conversion wizard to choose a quantization</source>
        <translation>打开转换向导以选择量化方式</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="179"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="180"/>
        <source>Info</source>
        <translation>信息</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="181"/>
        <source>Verify</source>
        <translation>校验</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/hardware.py" line="19"/>
        <source>baseline</source>
        <translation>基础指令集</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/hardware.py" line="18"/>
        <source>%1 cores (%2)</source>
        <translation>%1 核（%2）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/hardware.py" line="20"/>
        <source>%1 GiB RAM</source>
        <translation>%1 GiB 内存</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/hardware.py" line="24"/>
        <source>llama.cpp uses the CPU only</source>
        <translation>llama.cpp 只使用 CPU</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="284"/>
        <source>Unexpected error: {0} (details in the log)</source>
        <translation>意外错误：{0}（详见日志）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="293"/>
        <source>Converting: {0}</source>
        <translation>正在转换：{0}</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="298"/>
        <source>Verifying {0}…</source>
        <translation>正在校验 {0}…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="300"/>
        <source>{0}: done</source>
        <translation>{0}：完成</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="303"/>
        <source>{0}: {1} of {2} · {3}/s{4}</source>
        <translation>{0}：{1} / {2} · {3}/秒{4}</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="305"/>
        <source> · {0} left</source>
        <translation> · 剩余 {0}</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="311"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="329"/>
        <source>, resumed at {0}</source>
        <translation>，从 {0} 处续传</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="331"/>
        <source>Downloaded {0} ({1}{2}; verified by {3})</source>
        <translation>已下载 {0}（{1}{2}；已通过 {3} 校验）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="351"/>
        <source>Converted to {0}</source>
        <translation>已转换为 {0}</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="362"/>
        <source>Import a model</source>
        <translation>导入模型</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="362"/>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="367"/>
        <source>Import a Hugging Face model folder</source>
        <translation>导入 Hugging Face 模型文件夹</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="388"/>
        <source>Imported: {0}</source>
        <translation>已导入：{0}</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="399"/>
        <source>Stop listing {0}? The file stays where it is.</source>
        <translation>不再列出 {0} 吗？文件本身会保留在原处。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="400"/>
        <source>Delete {0} from the models folder?</source>
        <translation>从模型文件夹中删除 {0} 吗？</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="401"/>
        <source>Remove model</source>
        <translation>移除模型</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="409"/>
        <source>Removed {0}</source>
        <translation>已移除 {0}</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="436"/>
        <source>Checking the checksum and loading the model once…</source>
        <translation>正在核对校验和并试加载模型…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="443"/>
        <source>matches the {0}</source>
        <translation>与 {0} 一致</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="445"/>
        <source>DOES NOT MATCH the {0}</source>
        <translation>与 {0} 不一致</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="446"/>
        <source>no reference known</source>
        <translation>没有可对照的校验值</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="447"/>
        <source>ok ({0:.1f} s)</source>
        <translation>正常（{0:.1f} 秒）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="448"/>
        <source>FAILED: {0}</source>
        <translation>失败：{0}</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="449"/>
        <source>{0}
header: {1}
sha256: {2} — {3}
test load: {4}
{5}</source>
        <translation>{0}
文件头：{1}
sha256：{2} — {3}
试加载：{4}
{5}</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="450"/>
        <source>ok</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="450"/>
        <source>bad</source>
        <translation>损坏</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="451"/>
        <location filename="../../assistant/ui/models/manager.py" line="453"/>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="451"/>
        <source>NOT OK</source>
        <translation>有问题</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="452"/>
        <source>Verified {0}: {1}</source>
        <translation>已校验 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/manager.py" line="453"/>
        <source>problems found</source>
        <translation>发现问题</translation>
    </message>
</context>
<context>
    <name>ModelPage</name>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="30"/>
        <source>vLLM needs an NVIDIA GPU; none was found (nvidia-smi is missing or reports no GPU).</source>
        <translation>vLLM 需要 NVIDIA GPU；未找到（nvidia-smi 不存在或没有报告 GPU）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="32"/>
        <source>%1 is older than vLLM supports (compute capability 7.0 or newer).</source>
        <translation>%1 太旧，vLLM 不支持（需要计算能力 7.0 或更高）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="33"/>
        <source>vLLM is not installed for %1. On a CUDA machine: pip install &apos;assistant[vllm]&apos; (or set the vLLM Python in settings).</source>
        <translation>%1 中未安装 vLLM。在有 CUDA 的机器上：pip install &apos;assistant[vllm]&apos;（或在设置中指定装有 vLLM 的 Python）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="35"/>
        <source>vLLM can run on %1.</source>
        <translation>vLLM 可以在 %1 上运行。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="45"/>
        <source>llama.cpp (built in)</source>
        <translation>llama.cpp（内置）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="45"/>
        <source>vLLM (NVIDIA GPU)</source>
        <translation>vLLM（NVIDIA GPU）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="46"/>
        <location filename="../../assistant/ui/settings/model_page.py" line="98"/>
        <source>OpenAI-compatible server</source>
        <translation>OpenAI 兼容服务器</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="49"/>
        <source>Backend</source>
        <translation>后端</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="63"/>
        <source>From the model</source>
        <translation>由模型决定</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="65"/>
        <source>Context size (tokens)</source>
        <translation>上下文大小（词元）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="68"/>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="70"/>
        <source>CPU threads</source>
        <translation>CPU 线程数</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="73"/>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="74"/>
        <source>Auto: offload what fits in the GPU&apos;s free memory. 0: CPU only.</source>
        <translation>自动：把 GPU 空闲显存放得下的层都放到 GPU 上。0：只用 CPU。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="76"/>
        <source>GPU layers</source>
        <translation>GPU 层数</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="80"/>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="82"/>
        <source>vLLM</source>
        <translation>vLLM</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="87"/>
        <source>Share of GPU memory vLLM may use</source>
        <translation>vLLM 可使用的显存比例</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="92"/>
        <source>Longest context for vLLM (tokens)</source>
        <translation>vLLM 最大上下文（词元）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="94"/>
        <source>This app&apos;s Python</source>
        <translation>本应用自带的 Python</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="96"/>
        <source>Python with vLLM installed</source>
        <translation>装有 vLLM 的 Python</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="100"/>
        <source>Server URL</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="103"/>
        <source>API key (optional)</source>
        <translation>API 密钥（可选）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="105"/>
        <source>The server&apos;s first model</source>
        <translation>服务器上的第一个模型</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="106"/>
        <source>Model name on the server</source>
        <translation>服务器上的模型名称</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="117"/>
        <source>None in use: llama.cpp runs on the CPU (Help → Diagnostics says why).</source>
        <translation>未使用：llama.cpp 在 CPU 上运行（原因见 帮助 → 诊断信息）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="118"/>
        <source>%1: %2 GiB free of %3 GiB</source>
        <translation>%1：可用 %2 GiB，共 %3 GiB</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="123"/>
        <source>%1: %2 of %3 layers on the GPU, the rest on the CPU</source>
        <translation>%1：%3 层中有 %2 层在 GPU 上，其余在 CPU 上</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/model_page.py" line="136"/>
        <source>vLLM: %1</source>
        <translation>vLLM：%1</translation>
    </message>
</context>
<context>
    <name>ReasoningPage</name>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="147"/>
        <source>Automatic (maths questions)</source>
        <translation>自动（数学问题）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="147"/>
        <source>Always</source>
        <translation>总是</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="148"/>
        <source>Never</source>
        <translation>从不</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="151"/>
        <source>Maths mode (step by step, \boxed{} answer)</source>
        <translation>数学模式（逐步推理，\boxed{} 答案）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="155"/>
        <source>Samples per question (majority vote)</source>
        <translation>每个问题的样本数（多数投票）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="156"/>
        <source>Stop the other samples once the vote is decided</source>
        <translation>投票结果已定时停止其余样本</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="157"/>
        <source>Samples are written together; when 3 of 5 agree, the rest cannot change the answer.</source>
        <translation>样本同时生成；5 个中已有 3 个一致时，其余样本无法改变答案。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="162"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="167"/>
        <source>Role preset</source>
        <translation>角色预设</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="169"/>
        <source>Leave out the oldest messages</source>
        <translation>省略最早的消息</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="170"/>
        <source>Refuse and tell me</source>
        <translation>拒绝并提示我</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="172"/>
        <source>When the conversation no longer fits</source>
        <translation>对话超出上下文时</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="173"/>
        <source>Show the reasoning while it is written</source>
        <translation>生成时显示推理过程</translation>
    </message>
</context>
<context>
    <name>RunReport</name>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="57"/>
        <source>Show run:</source>
        <translation>显示记录：</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="58"/>
        <source>Compare with…</source>
        <translation>对比…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="60"/>
        <source>Run</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="60"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="60"/>
        <source>Tasks × runs</source>
        <translation>题数 × 轮数</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="60"/>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="60"/>
        <source>Vote</source>
        <translation>投票</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="61"/>
        <source>Answer tokens</source>
        <translation>回答词元</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="61"/>
        <source>Reasoning tokens</source>
        <translation>推理词元</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="61"/>
        <source>s / task</source>
        <translation>秒/题</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="61"/>
        <source>tok/s</source>
        <translation>tok/s</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="62"/>
        <source>Failures</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="66"/>
        <source>maths</source>
        <translation>数学</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="66"/>
        <source>instructions</source>
        <translation>指令遵循</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="66"/>
        <source>knowledge</source>
        <translation>知识</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="67"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="67"/>
        <source>documents</source>
        <translation>文档</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="73"/>
        <source>(choose a stored run)</source>
        <translation>（选择已保存的记录）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="74"/>
        <source>(nothing)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="79"/>
        <location filename="../../assistant/ui/evaluate/report.py" line="123"/>
        <source>unfinished {0}/{1}</source>
        <translation>未完成 {0}/{1}</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="127"/>
        <source>no \boxed{}</source>
        <translation>无 \boxed{}</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="127"/>
        <source>cut at max tokens</source>
        <translation>达到最大词元数被截断</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="128"/>
        <source>wrong</source>
        <translation>答案错误</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="128"/>
        <source>error</source>
        <translation>出错</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="129"/>
        <source>answer only in reasoning</source>
        <translation>答案只在推理中</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/evaluate/report.py" line="130"/>
        <source>no code sandbox</source>
        <translation>没有代码沙箱</translation>
    </message>
</context>
<context>
    <name>SamplesStrip</name>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="261"/>
        <source>no answer yet</source>
        <translation>尚无答案</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="261"/>
        <source>Vote so far: %1</source>
        <translation>目前投票：%1</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="267"/>
        <source>Vote: none of the %1 samples gave an answer</source>
        <translation>投票：%1 个样本都没有给出答案</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="271"/>
        <source>Vote: %1 of %2 samples gave the answer marked ✓</source>
        <translation>投票：%2 个样本中有 %1 个给出了标 ✓ 的答案</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="274"/>
        <source> (decided early: the others were stopped)</source>
        <translation>（已提前决出，其余样本已停止）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="279"/>
        <source>context full</source>
        <translation>上下文已满</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="279"/>
        <source>token limit</source>
        <translation>达到词元上限</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="281"/>
        <source>no vote: stopped before it answered</source>
        <translation>未投票：回答前已停止</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="282"/>
        <source>no vote: its reasoning went round in a loop</source>
        <translation>未投票：推理陷入循环</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="283"/>
        <source>no vote: cut off while reasoning (%1)</source>
        <translation>未投票：推理中被截断（%1）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="284"/>
        <source>no vote: cut off before it answered (%1)</source>
        <translation>未投票：回答前被截断（%1）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="285"/>
        <source>no vote: no answer found</source>
        <translation>未投票：没有找到答案</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="290"/>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="290"/>
        <source>thinking</source>
        <translation>思考中</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="290"/>
        <source>writing</source>
        <translation>写作中</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="291"/>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="291"/>
        <source>cut off</source>
        <translation>已截断</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="291"/>
        <source>stopped by the vote</source>
        <translation>因投票已停止</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="292"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="296"/>
        <source>%1 tok</source>
        <translation>%1 词元</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="306"/>
        <source>Sample %1: %2, %3 tokens</source>
        <translation>样本 %1：%2，%3 个词元</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="309"/>
        <source>answer: %1</source>
        <translation>答案：%1</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="313"/>
        <source>(chosen by the vote)</source>
        <translation>（投票选中）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="322"/>
        <source>%1 samples</source>
        <translation>%1 个样本</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="323"/>
        <source>Show or hide the samples</source>
        <translation>显示或隐藏样本</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="329"/>
        <source>Click to show this sample.</source>
        <translation>点击显示此样本。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/samples_strip.py" line="333"/>
        <source>Samples of this reply</source>
        <translation>此回复的样本</translation>
    </message>
</context>
<context>
    <name>SamplingPage</name>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="40"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="45"/>
        <source>Top p</source>
        <translation>Top p</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="48"/>
        <source>By model</source>
        <translation>按模型</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="49"/>
        <source>By model: 4,096 tokens for a reasoning model, 1,024 for a chat model.</source>
        <translation>按模型：推理模型 4,096 个词元，对话模型 1,024 个。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="51"/>
        <source>Max tokens per reply</source>
        <translation>每条回复的最大词元数</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="53"/>
        <source>Reasoning models work best at temperature 0.5–0.7 (0.6) and top p 0.95.</source>
        <translation>推理模型在温度 0.5–0.7（推荐 0.6）、top p 0.95 时效果最好。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="61"/>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="61"/>
        <source>No limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="61"/>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="63"/>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="84"/>
        <source>Thinking budget</source>
        <translation>思考预算</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="64"/>
        <source>Auto: %1 tokens of reasoning for maths, %2 for other questions (reasoning models).</source>
        <translation>自动：数学题推理 %1 个词元，其他问题 %2 个（推理模型）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="73"/>
        <source>Thinking budget (tokens)</source>
        <translation>思考预算（词元）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="93"/>
        <source>Tokens the answer always keeps: the reasoning is closed before it uses them.</source>
        <translation>始终留给答案的词元：推理会在用到它们之前结束。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="95"/>
        <source>Answer reserve (tokens)</source>
        <translation>为答案保留（词元）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="97"/>
        <source>Close it and answer</source>
        <translation>结束推理并作答</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="98"/>
        <source>Resample from before the loop</source>
        <translation>从循环开始前重新采样</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="98"/>
        <source>Do nothing</source>
        <translation>不处理</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="101"/>
        <source>When the reasoning loops</source>
        <translation>推理陷入循环时</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="102"/>
        <source>Always start replies with reasoning (&lt;think&gt;)</source>
        <translation>回复总是以推理开头（&lt;think&gt;）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="103"/>
        <source>For models that skip their reasoning; R1 models start with it anyway.</source>
        <translation>用于会跳过推理的模型；R1 模型本来就以推理开头。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="122"/>
        <source>%1 tokens, %2 for maths</source>
        <translation>%1 个词元，数学题 %2 个</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="125"/>
        <source>up to the reply&apos;s length</source>
        <translation>最多到回复的长度上限</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/reply_pages.py" line="127"/>
        <source>%1 tokens</source>
        <translation>%1 个词元</translation>
    </message>
</context>
<context>
    <name>ServingPage</name>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="39"/>
        <source>Serve the loaded model to other programs (OpenAI API)</source>
        <translation>向其他程序提供已加载的模型（OpenAI API）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="44"/>
        <source>Address</source>
        <translation>监听地址</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="47"/>
        <source>Any free port</source>
        <translation>任意空闲端口</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="49"/>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="52"/>
        <source>API key clients must send</source>
        <translation>客户端须提供的 API 密钥</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="57"/>
        <source>None (browsers cannot call it)</source>
        <translation>无（浏览器无法调用）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="58"/>
        <source>Browser origins allowed (CORS)</source>
        <translation>允许的浏览器来源（CORS）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="62"/>
        <source>Largest reply a request may ask for (tokens)</source>
        <translation>单个请求可要求的最长回复（词元）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="66"/>
        <source>Requests that may wait in line</source>
        <translation>可排队等待的请求数</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="67"/>
        <source>assistant serve: load another model on this computer when a request names it</source>
        <translation>assistant serve：请求指定本机上的其他模型时加载该模型</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="70"/>
        <source>One model at a time, as Ollama does. The app&apos;s own server always answers with the model loaded in this window.</source>
        <translation>一次只加载一个模型，与 Ollama 相同。应用自带的服务器始终使用本窗口中已加载的模型回答。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="82"/>
        <source>Only programs on this computer can connect (127.0.0.1).</source>
        <translation>只有本机上的程序可以连接（127.0.0.1）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/app_pages.py" line="86"/>
        <source>Another address than 127.0.0.1 lets other computers use the model: an API key is then required, and serving is refused without one.</source>
        <translation>使用 127.0.0.1 以外的地址时，其他电脑也能使用此模型：因此必须设置 API 密钥，否则将拒绝提供服务。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="34"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="46"/>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="47"/>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="51"/>
        <source>Downloads</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="48"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="49"/>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings/dialog.py" line="50"/>
        <source>Serving</source>
        <translation>服务</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="90"/>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="91"/>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>开始新对话 (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="92"/>
        <source>Search all conversations (Ctrl+F)</source>
        <translation>搜索全部对话 (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="93"/>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="94"/>
        <source>Conversations</source>
        <translation>对话列表</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="112"/>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="139"/>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="134"/>
        <source>No conversation contains this.</source>
        <translation>没有对话包含此内容。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/conversations/sidebar.py" line="145"/>
        <source>+%n more</source>
        <comment>other messages of the conversation that match</comment>
        <translation>
            <numerusform>另有 %n 条</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="216"/>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="217"/>
        <source>Export as Markdown…</source>
        <translation>导出为 Markdown…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="218"/>
        <source>Export as JSON…</source>
        <translation>导出为 JSON…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/conversations/sidebar.py" line="220"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>SourceChips</name>
    <message>
        <location filename="../../assistant/ui/message/sources.py" line="143"/>
        <source>p. %1</source>
        <translation>第 %1 页</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/sources.py" line="146"/>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/sources.py" line="147"/>
        <source>Sources:</source>
        <translation>出处：</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/sources.py" line="151"/>
        <source>Nothing relevant was found in your documents (%1): this reply is not based on them.</source>
        <translation>在你的文档（%1）中没有找到相关内容：这个回复并非依据它们。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/sources.py" line="159"/>
        <source>Cited in the answer.</source>
        <translation>回答中引用了它。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/sources.py" line="160"/>
        <source>Open this passage: %1</source>
        <translation>打开这个段落：%1</translation>
    </message>
</context>
<context>
    <name>SourceViewer</name>
    <message>
        <location filename="../../assistant/ui/documents/viewer.py" line="159"/>
        <source>Opening…</source>
        <translation>正在打开…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/viewer.py" line="166"/>
        <source>Source [%1]</source>
        <translation>出处 [%1]</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/viewer.py" line="171"/>
        <source>page %1 of %2</source>
        <translation>第 %1 页，共 %2 页</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/viewer.py" line="172"/>
        <source>page %1</source>
        <translation>第 %1 页</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/viewer.py" line="176"/>
        <source>characters %1–%2</source>
        <translation>第 %1–%2 个字符</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/viewer.py" line="178"/>
        <source>The file is no longer there: this is the passage as it was indexed.</source>
        <translation>文件已不在原处：这里显示的是建立索引时的段落。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/viewer.py" line="179"/>
        <source>The file changed since it was indexed and the passage is no longer in it: this is the passage as it was indexed. Re-index the collection.</source>
        <translation>文件在建立索引后已改动，段落已不在其中：这里显示的是建立索引时的段落。请重新索引这个文档集。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/viewer.py" line="181"/>
        <source>A long document: the part around the passage is shown.</source>
        <translation>文档很长：只显示段落前后的部分。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/viewer.py" line="184"/>
        <source>Open the file</source>
        <translation>打开文件</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/documents/viewer.py" line="186"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>SpeedBar</name>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="104"/>
        <source>≈ {0} tok/s (rough) · answer ≈ {1}</source>
        <translation>≈ {0} tok/s（粗略）· 回答 ≈ {1}</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="106"/>
        <source>≈ {0} tok/s · answer ≈ {1}</source>
        <translation>≈ {0} tok/s · 回答 ≈ {1}</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="118"/>
        <source>≈ {0} tok/s here; a typical answer with reasoning ≈ {1}</source>
        <translation>本机约 {0} tok/s；一次带推理的典型回答约 {1}</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="128"/>
        <source>measured {0}, the machine was quiet</source>
        <translation>{0}测量，当时本机空闲</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="130"/>
        <source>rough: measured {0} while the machine was busy; measured again on a quiet start</source>
        <translation>粗略：{0}在本机繁忙时测量；空闲时启动会重新测量</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="132"/>
        <source>measured {0}</source>
        <translation>{0}测量</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="139"/>
        <source>at an unknown time</source>
        <translation>时间未知</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="141"/>
        <source>today</source>
        <translation>今天</translation>
    </message>
    <message numerus="yes">
        <location filename="../../assistant/ui/models/speed_bar.py" line="142"/>
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>%n 天前</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="146"/>
        <source>{0} s</source>
        <translation>{0} 秒</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="148"/>
        <source>{0} min</source>
        <translation>{0} 分钟</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="149"/>
        <source>{0} h</source>
        <translation>{0} 小时</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="152"/>
        <source>Measure speed</source>
        <translation>测量速度</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="154"/>
        <source>Measure this computer&apos;s speed on the bundled model (about 20 s) to predict every model&apos;s speed</source>
        <translation>用内置模型测量本机速度（约 20 秒），以预测每个模型的速度</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="155"/>
        <source>Evaluate…</source>
        <translation>评测…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="156"/>
        <source>Measure a model&apos;s accuracy on a task suite</source>
        <translation>用题集测量模型的准确率</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="161"/>
        <source>Measuring this computer&apos;s speed (about 20 s)…</source>
        <translation>正在测量本机速度（约 20 秒）…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="165"/>
        <source>Speed here: not measured yet.</source>
        <translation>本机速度：尚未测量。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="167"/>
        <source>Speed here (bundled model): prompt {0} tok/s, decode {1} tok/s</source>
        <translation>本机速度（内置模型）：提示词 {0} tok/s，生成 {1} tok/s</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="171"/>
        <source>the new measurement was taken while the machine was busy: the earlier, quiet one is kept</source>
        <translation>新的测量是在本机繁忙时进行的：保留先前空闲时的测量</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/models/speed_bar.py" line="173"/>
        <source>Measuring failed: {0}</source>
        <translation>测量失败：{0}</translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <location filename="../../assistant/ui/status_panel.py" line="75"/>
        <source>Model: loading…</source>
        <translation>模型：加载中…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/status_panel.py" line="77"/>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/status_panel.py" line="79"/>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/status_panel.py" line="81"/>
        <source>%1 tok/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/status_panel.py" line="83"/>
        <source>Serving at %1</source>
        <translation>服务地址 %1</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/status_panel.py" line="105"/>
        <source>Context %1</source>
        <translation>上下文 %1</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/status_panel.py" line="106"/>
        <source>Context %1 — nearly full</source>
        <translation>上下文 %1 — 即将用满</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/status_panel.py" line="107"/>
        <source>Context %1 — too long: the oldest messages are left out</source>
        <translation>上下文 %1 — 过长：最早的消息将被省略</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/status_panel.py" line="108"/>
        <source>Context %1 — full: start a new chat or raise the context size</source>
        <translation>上下文 %1 — 已满：请开始新对话或增大上下文</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/status_panel.py" line="113"/>
        <source>Tokens the conversation takes in the model&apos;s context window</source>
        <translation>对话在模型上下文窗口中占用的词元数</translation>
    </message>
</context>
<context>
    <name>ThinkingChoice</name>
    <message>
        <location filename="../../assistant/ui/chat/thinking_choice.py" line="48"/>
        <source>Thinking: on</source>
        <translation>思考：开</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/thinking_choice.py" line="48"/>
        <source>Thinking: off</source>
        <translation>思考：关</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat/thinking_choice.py" line="49"/>
        <source>Whether the model reasons before it answers, in this conversation (the model&apos;s thinking switch). Off: quicker replies without reasoning. /think or /no_think in a message decides for that message.</source>
        <translation>本对话中模型是否先推理再回答（模型的思考开关）。关闭：回答更快，不带推理。消息里写 /think 或 /no_think 可为该条消息单独决定。</translation>
    </message>
</context>
<context>
    <name>ThinkingSection</name>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="125"/>
        <source>Thinking… %1 s · %2 / %3 tokens</source>
        <translation>思考中… %1 秒 · %2 / %3 个词元</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="127"/>
        <source>Thinking… %1 s · %2 tokens</source>
        <translation>思考中… %1 秒 · %2 个词元</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="129"/>
        <source>Thinking… %1 s</source>
        <translation>思考中… %1 秒</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="131"/>
        <source>Thought for %1 s</source>
        <translation>已思考 %1 秒</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="131"/>
        <source>Thought for %1 s · %2 tokens</source>
        <translation>已思考 %1 秒 · %2 个词元</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="132"/>
        <source>(budget reached)</source>
        <translation>（已达预算）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="132"/>
        <source>(loop stopped)</source>
        <translation>（已中止循环）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="133"/>
        <source>(closed for the answer)</source>
        <translation>（已结束思考以作答）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="137"/>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="139"/>
        <source>Raw</source>
        <translation>原文</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message/thinking.py" line="140"/>
        <source>Show the reasoning as the model wrote it (Markdown and LaTeX source)</source>
        <translation>按模型写出的原样显示推理（Markdown 和 LaTeX 源码）</translation>
    </message>
</context>
</TS>
