<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ComposeForm</name>
    <message>
        <source>No brand</source>
        <translation>不使用品牌</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>Any platform</source>
        <translation>不限平台</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>What to write</source>
        <translation>写什么</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品信息</translation>
    </message>
    <message>
        <source>Style</source>
        <translation>风格</translation>
    </message>
    <message>
        <source>Fields marked * are required.</source>
        <translation>带 * 的为必填项。</translation>
    </message>
    <message>
        <source>Content type</source>
        <translation>内容类型</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Brand</source>
        <translation>品牌</translation>
    </message>
    <message>
        <source>Tone</source>
        <translation>语气</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>篇幅</translation>
    </message>
    <message>
        <source>Output language</source>
        <translation>输出语言</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>版本数</translation>
    </message>
</context>
<context>
    <name>ComposePage</name>
    <message>
        <source>Please fill in: %1</source>
        <translation>请填写：%1</translation>
    </message>
    <message>
        <source>Generation failed</source>
        <translation>生成失败</translation>
    </message>
    <message>
        <source>The prompt the model reads</source>
        <translation>模型读到的提示词</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Answer format (JSON schema)</source>
        <translation>回答格式（JSON Schema）</translation>
    </message>
    <message>
        <source>Compose</source>
        <translation>写文案</translation>
    </message>
    <message>
        <source>Describe the product, pick where it will be published, and let the model write. Everything stays on this computer.</source>
        <translation>填写商品信息，选择发布平台，让模型来写。所有内容都只保存在这台电脑上。</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Show prompt</source>
        <translation>查看提示词</translation>
    </message>
    <message>
        <source>Ctrl+Enter generates · Esc stops</source>
        <translation>Ctrl+Enter 生成 · Esc 停止</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Your results appear here, each variant in its own card, saved to the History as they finish.</source>
        <translation>生成的结果会显示在这里，每个版本一张卡片，完成后自动保存到历史记录。</translation>
    </message>
</context>
<context>
    <name>EngineWorker</name>
    <message>
        <source>No model is loaded. Choose a model on the Models page.</source>
        <translation>尚未加载模型。请在“模型”页面选择一个模型。</translation>
    </message>
</context>
<context>
    <name>FindingsList</name>
    <message>
        <source>Remove “%1”</source>
        <translation>删除“%1”</translation>
    </message>
    <message>
        <source>Add “%1”</source>
        <translation>添加“%1”</translation>
    </message>
    <message>
        <source>Use “%1”</source>
        <translation>改为“%1”</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Content type</source>
        <translation>内容类型</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文案</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>评分</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <source>Nothing found.</source>
        <translation>没有找到匹配的结果。</translation>
    </message>
    <message>
        <source>No results yet: what you generate on Compose appears here.</source>
        <translation>还没有记录：在“写文案”页面生成的内容会出现在这里。</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n 条结果</numerusform></translation>
    </message>
    <message>
        <source>All content types</source>
        <translation>全部内容类型</translation>
    </message>
    <message>
        <source>All platforms</source>
        <translation>全部平台</translation>
    </message>
    <message numerus="yes">
        <source>%n selected</source>
        <translation>
            <numerusform>已选 %n 条</numerusform></translation>
    </message>
    <message>
        <source>Select a result to see it.</source>
        <translation>选择一条结果查看详情。</translation>
    </message>
    <message>
        <source>Model %1 · template %2 · %3 tokens at %4 tok/s · edited: %5</source>
        <translation>模型 %1 · 模板 %2 · %3 个词元，%4 词元/秒 · 已编辑：%5</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Inputs: %1</source>
        <translation>输入：%1</translation>
    </message>
    <message>
        <source>Delete results</source>
        <translation>删除结果</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n result(s) from the history? This cannot be undone.</source>
        <translation>
            <numerusform>要从历史记录中删除 %n 条结果吗？此操作无法撤销。</numerusform></translation>
    </message>
    <message>
        <source>Export history</source>
        <translation>导出历史记录</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n result(s) to %1</source>
        <translation>
            <numerusform>已导出 %n 条结果到 %1</numerusform></translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Search products and texts (中文 or English)…</source>
        <translation>搜索商品和文案（中文或英文）…</translation>
    </message>
    <message>
        <source>Favourites only</source>
        <translation>只看收藏</translation>
    </message>
    <message>
        <source>Re-run</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Open on Compose with the same inputs and generate again</source>
        <translation>用相同的输入在“写文案”页面再生成一次</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Export as %1</source>
        <translation>导出为 %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>The model could not be loaded. %1</source>
        <translation>模型加载失败。%1</translation>
    </message>
    <message>
        <source>The model could not be loaded</source>
        <translation>模型加载失败</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>Generating at %1 tok/s</source>
        <translation>正在生成，%1 词元/秒</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Model not loaded</source>
        <translation>模型未加载</translation>
    </message>
    <message>
        <source>No model yet</source>
        <translation>尚无模型</translation>
    </message>
    <message>
        <source>Shopscribe — marketing copy written on your computer</source>
        <translation>Shopscribe — 在你自己的电脑上写营销文案</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Data: %1</source>
        <translation>数据：%1</translation>
    </message>
    <message>
        <source>Open the data folder: %1</source>
        <translation>打开数据文件夹：%1</translation>
    </message>
</context>
<context>
    <name>Pages</name>
    <message>
        <source>Compose</source>
        <translation>写文案</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批量生成</translation>
    </message>
    <message>
        <source>Writing a whole product catalog at once is not in the window yet. Meanwhile the command line does it: shopscribe batch products.csv --type product-description --out results.csv. In the window, write one product at a time on the Compose page.</source>
        <translation>窗口中暂时还不能一次为整个商品目录写文案。目前可以用命令行完成：shopscribe batch products.csv --type product-description --out results.csv。在窗口中，可以在“写文案”页面逐个商品生成。</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Editing templates in the window is not built yet. The built-in templates already work: pick a content type and platform on the Compose page; "Show prompt" there shows the prompt they build.</source>
        <translation>窗口中暂时还不能编辑模板。内置模板已经可以使用：在“写文案”页面选择内容类型和平台即可；点击那里的“查看提示词”可以看到模板生成的提示词。</translation>
    </message>
    <message>
        <source>Brands</source>
        <translation>品牌</translation>
    </message>
    <message>
        <source>Managing brand profiles in the window is not built yet. Meanwhile use the command line: shopscribe brands add NAME. Saved brands appear in the Brand list on the Compose page.</source>
        <translation>窗口中暂时还不能管理品牌资料。目前请使用命令行：shopscribe brands add 品牌名。保存的品牌会出现在“写文案”页面的品牌列表中。</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Downloading and switching models in the window is not built yet. The embedded model works now; context length, threads and GPU layers are on the Settings page. To add a model, use shopscribe models import PATH.</source>
        <translation>窗口中暂时还不能下载和切换模型。内置模型现在就能用；上下文长度、线程数和 GPU 层数在“设置”页面调整。要添加模型，请使用 shopscribe models import 文件路径。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation>打开“%1”</translation>
    </message>
</context>
<context>
    <name>ResultCard</name>
    <message>
        <source>Waiting…</source>
        <translation>等待中…</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>正在写…</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Stopped before it started</source>
        <translation>尚未开始就已停止</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>length limit</source>
        <translation>达到长度上限</translation>
    </message>
    <message>
        <source>complete</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Time to the first token · speed · tokens written · why it stopped</source>
        <translation>首个词元用时 · 速度 · 已写词元数 · 停止原因</translation>
    </message>
    <message>
        <source>First token %1 s · %2 tok/s · %3 tokens · %4</source>
        <translation>首词元 %1 秒 · %2 词元/秒 · %3 个词元 · %4</translation>
    </message>
    <message>
        <source>Characters</source>
        <translation>字数</translation>
    </message>
    <message>
        <source>The text changed: checking again.</source>
        <translation>文本已修改，正在重新检查。</translation>
    </message>
    <message>
        <source>Variant %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <source>Copy the text</source>
        <translation>复制文案</translation>
    </message>
    <message>
        <source>Favourite</source>
        <translation>收藏</translation>
    </message>
    <message numerus="yes">
        <source>Rate %n star(s)</source>
        <translation>
            <numerusform>评 %n 星</numerusform></translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>the embedded model</source>
        <translation>内置模型</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>Default model</source>
        <translation>默认模型</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Context length (tokens)</source>
        <translation>上下文长度（词元）</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>线程数</translation>
    </message>
    <message>
        <source>GPU layers</source>
        <translation>GPU 层数</translation>
    </message>
    <message>
        <source>Follow the system (%1)</source>
        <translation>跟随系统（%1）</translation>
    </message>
    <message>
        <source>A new language applies at once, no restart needed.</source>
        <translation>切换语言立即生效，无需重启。</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>0 runs on the CPU; -1 puts every layer on the GPU.</source>
        <translation>0 表示只用 CPU 运行；-1 表示把所有层都放到 GPU 上。</translation>
    </message>
    <message>
        <source>All layers</source>
        <translation>全部层</translation>
    </message>
    <message>
        <source>Save and reload the model</source>
        <translation>保存并重新加载模型</translation>
    </message>
    <message>
        <source>A longer context lets longer product data in but needs more memory. If the GPU cannot be used, the model runs on the CPU.</source>
        <translation>上下文越长，能放入的商品资料越多，但占用的内存也越多。如果无法使用 GPU，模型会改用 CPU 运行。</translation>
    </message>
    <message>
        <source>Offline mode</source>
        <translation>离线模式</translation>
    </message>
    <message>
        <source>Shopscribe never goes online unless you search for or download a model. Offline mode refuses even that.</source>
        <translation>除非你搜索或下载模型，Shopscribe 从不联网。开启离线模式后，连这些操作也会被拒绝。</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Your history, templates, brands and downloaded models live here.</source>
        <translation>你的历史记录、模板、品牌和下载的模型都保存在这里。</translation>
    </message>
</context>
</TS>