<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../assistant/ui/chat_view.py" line="92"/>
        <source>Type a message. Enter sends, Shift+Enter starts a new line.</source>
        <translation>输入消息。Enter 发送，Shift+Enter 换行。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat_view.py" line="93"/>
        <location filename="../../assistant/ui/chat_view.py" line="123"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat_view.py" line="93"/>
        <location filename="../../assistant/ui/chat_view.py" line="123"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat_view.py" line="94"/>
        <location filename="../../assistant/ui/chat_view.py" line="124"/>
        <source>Stop the reply (Esc)</source>
        <translation>停止回复 (Esc)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat_view.py" line="94"/>
        <location filename="../../assistant/ui/chat_view.py" line="124"/>
        <source>Send (Enter)</source>
        <translation>发送 (Enter)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat_view.py" line="95"/>
        <source>Ask anything, in English or Chinese.

Ctrl+N new chat · Ctrl+F search · Esc stop · Ctrl+R regenerate · Ctrl+, settings</source>
        <translation>用中文或英文提问。

Ctrl+N 新对话 · Ctrl+F 搜索 · Esc 停止 · Ctrl+R 重新生成 · Ctrl+, 设置</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat_view.py" line="97"/>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/chat_view.py" line="189"/>
        <source>Sample %1…</source>
        <translation>第 %1 个样本…</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../assistant/ui/errors.py" line="38"/>
        <source>Model file not found</source>
        <translation>找不到模型文件</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/errors.py" line="39"/>
        <source>Model not supported</source>
        <translation>不支持此模型</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/errors.py" line="40"/>
        <source>Model file cannot be used</source>
        <translation>模型文件无法使用</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/errors.py" line="41"/>
        <source>Not enough memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/errors.py" line="42"/>
        <source>Model failed to load</source>
        <translation>模型加载失败</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/errors.py" line="43"/>
        <source>Conversation too long</source>
        <translation>对话过长</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/errors.py" line="44"/>
        <source>Generation failed</source>
        <translation>生成失败</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/errors.py" line="45"/>
        <source>Backend unavailable</source>
        <translation>后端不可用</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/errors.py" line="46"/>
        <source>Invalid setting</source>
        <translation>设置无效</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="158"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="159"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="160"/>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="161"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="164"/>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="164"/>
        <source>Import conversation (JSON)…</source>
        <translation>导入对话 (JSON)…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="165"/>
        <source>Export as Markdown…</source>
        <translation>导出为 Markdown…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="165"/>
        <source>Export as JSON…</source>
        <translation>导出为 JSON…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="166"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="166"/>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="166"/>
        <source>Stop the reply</source>
        <translation>停止回复</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="167"/>
        <source>Regenerate the last reply</source>
        <translation>重新生成最后一条回复</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="167"/>
        <source>Rename conversation</source>
        <translation>重命名对话</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="168"/>
        <source>Delete conversation</source>
        <translation>删除对话</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="168"/>
        <source>Undo delete</source>
        <translation>撤销删除</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="169"/>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="169"/>
        <source>Models…</source>
        <translation>模型管理…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="170"/>
        <source>Convert a Hugging Face model…</source>
        <translation>转换 Hugging Face 模型…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="170"/>
        <source>Reload the model</source>
        <translation>重新加载模型</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="171"/>
        <source>Open log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="171"/>
        <location filename="../../assistant/ui/window_actions.py" line="130"/>
        <source>About Assistant</source>
        <translation>关于 Assistant</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="176"/>
        <source>Not available in this build</source>
        <translation>此版本不提供该功能</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="203"/>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="284"/>
        <location filename="../../assistant/ui/main_window.py" line="339"/>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="339"/>
        <source>Deleted “%1”.</source>
        <translation>已删除“%1”。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="339"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="439"/>
        <source>%1 tokens · %2 tok/s</source>
        <translation>%1 个词元 · %2 词元/秒</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="503"/>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/main_window.py" line="504"/>
        <source>The app keeps running. The details are in the log file (Help → Open log folder).</source>
        <translation>应用仍在运行。详细信息见日志文件（帮助 → 打开日志文件夹）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/window_actions.py" line="70"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/window_actions.py" line="71"/>
        <location filename="../../assistant/ui/window_actions.py" line="79"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/window_actions.py" line="72"/>
        <source>Export conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/window_actions.py" line="78"/>
        <source>Import conversation</source>
        <translation>导入对话</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/window_actions.py" line="116"/>
        <source>Model converted</source>
        <translation>模型已转换</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/window_actions.py" line="117"/>
        <source>Switch to the new model %1 now?</source>
        <translation>现在切换到新模型 %1 吗？</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/window_actions.py" line="124"/>
        <source>This feature is not available in this build.</source>
        <translation>此版本不提供该功能。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/window_actions.py" line="131"/>
        <source>Assistant: an offline assistant for small local reasoning models.
Nothing leaves this computer unless you start a download or connect to a server.</source>
        <translation>Assistant：面向本地小型推理模型的离线助手。
除非您开始下载或连接服务器，任何数据都不会离开这台电脑。</translation>
    </message>
</context>
<context>
    <name>MessageWidget</name>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="203"/>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="203"/>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="204"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="205"/>
        <source>Copy this message</source>
        <translation>复制这条消息</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="206"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="207"/>
        <source>Edit this message and send it again</source>
        <translation>编辑这条消息并重新发送</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="208"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="209"/>
        <source>Generate this reply again (Ctrl+R)</source>
        <translation>重新生成这条回复 (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="210"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="211"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="221"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="221"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="222"/>
        <source>interrupted (the app closed while it was being written)</source>
        <translation>已中断（生成过程中应用被关闭）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="237"/>
        <source>Answer: %1</source>
        <translation>答案：%1</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="254"/>
        <source>%1 tokens · %2 tok/s</source>
        <translation>%1 个词元 · %2 词元/秒</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="60"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="75"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="80"/>
        <source>Top p</source>
        <translation>Top p</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="84"/>
        <source>Max tokens per reply</source>
        <translation>每条回复的最大词元数</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="85"/>
        <source>Reasoning models work best at temperature 0.5–0.7 (0.6) and top p 0.95.</source>
        <translation>推理模型在温度 0.5–0.7（推荐 0.6）、top p 0.95 时效果最好。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="88"/>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="94"/>
        <source>Automatic (maths questions)</source>
        <translation>自动（数学问题）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="94"/>
        <source>Always</source>
        <translation>总是</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="95"/>
        <source>Never</source>
        <translation>从不</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="98"/>
        <source>Maths mode (step by step, \boxed{} answer)</source>
        <translation>数学模式（逐步推理，\boxed{} 答案）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="102"/>
        <source>Samples per question (majority vote)</source>
        <translation>每个问题的样本数（多数投票）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="104"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="109"/>
        <source>Role preset</source>
        <translation>角色预设</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="111"/>
        <source>Leave out the oldest messages</source>
        <translation>省略最早的消息</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="112"/>
        <source>Refuse and tell me</source>
        <translation>拒绝并提示我</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="114"/>
        <source>When the conversation no longer fits</source>
        <translation>对话超出上下文时</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="115"/>
        <source>Show the reasoning while it is written</source>
        <translation>生成时显示推理过程</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="118"/>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="124"/>
        <source>llama.cpp (built in)</source>
        <translation>llama.cpp（内置）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="124"/>
        <source>vLLM (NVIDIA GPU)</source>
        <translation>vLLM（NVIDIA GPU）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="125"/>
        <source>OpenAI-compatible server</source>
        <translation>OpenAI 兼容服务器</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="139"/>
        <source>Backend</source>
        <translation>后端</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="140"/>
        <source>vLLM: %1</source>
        <translation>vLLM：%1</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="145"/>
        <source>Server URL</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="148"/>
        <source>API key (optional)</source>
        <translation>API 密钥（可选）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="152"/>
        <source>From the model</source>
        <translation>由模型决定</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="154"/>
        <source>Context size (tokens)</source>
        <translation>上下文大小（词元）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="157"/>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="159"/>
        <source>CPU threads</source>
        <translation>CPU 线程数</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="162"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="164"/>
        <source>GPU layers</source>
        <translation>GPU 层数</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="167"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="173"/>
        <source>System language</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="177"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="179"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="180"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="182"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="183"/>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="188"/>
        <source>Serve the loaded model to other programs (OpenAI API)</source>
        <translation>向其他程序提供已加载的模型（OpenAI API）</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="194"/>
        <source>Port on 127.0.0.1</source>
        <translation>127.0.0.1 上的端口</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="195"/>
        <source>Only programs on this computer can connect (127.0.0.1).</source>
        <translation>只有本机上的程序可以连接（127.0.0.1）。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="202"/>
        <source>Serving is not available in this build.</source>
        <translation>此版本不提供模型服务。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/settings_dialog.py" line="203"/>
        <source>Serving</source>
        <translation>服务</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <location filename="../../assistant/ui/sidebar.py" line="68"/>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/sidebar.py" line="69"/>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>开始新对话 (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/sidebar.py" line="70"/>
        <source>Search all conversations (Ctrl+F)</source>
        <translation>搜索全部对话 (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/sidebar.py" line="88"/>
        <location filename="../../assistant/ui/sidebar.py" line="106"/>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/sidebar.py" line="101"/>
        <source>No conversation contains this.</source>
        <translation>没有对话包含此内容。</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/sidebar.py" line="156"/>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/sidebar.py" line="157"/>
        <source>Export as Markdown…</source>
        <translation>导出为 Markdown…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/sidebar.py" line="158"/>
        <source>Export as JSON…</source>
        <translation>导出为 JSON…</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/sidebar.py" line="160"/>
        <source>Delete</source>
        <translation>删除</translation>
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
    <name>ThinkingSection</name>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="84"/>
        <source>Thinking… %1 s</source>
        <translation>思考中… %1 秒</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="86"/>
        <source>Thought for %1 s</source>
        <translation>已思考 %1 秒</translation>
    </message>
    <message>
        <location filename="../../assistant/ui/message_widget.py" line="88"/>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
</context>
</TS>
