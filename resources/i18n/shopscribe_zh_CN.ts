<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BatchFields</name>
    <message>
        <source>Handle</source>
        <translation>商品句柄（Handle）</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Product name</source>
        <translation>商品名称</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Features</source>
        <translation>卖点</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Material</source>
        <translation>材质</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <source>Brand</source>
        <translation>品牌</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类目</translation>
    </message>
    <message>
        <source>Keywords</source>
        <translation>关键词</translation>
    </message>
    <message>
        <source>Audience</source>
        <translation>受众</translation>
    </message>
    <message>
        <source>Vendor</source>
        <translation>供应商</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Barcode</source>
        <translation>条形码</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>SEO title</source>
        <translation>SEO 标题</translation>
    </message>
    <message>
        <source>SEO description</source>
        <translation>SEO 描述</translation>
    </message>
</context>
<context>
    <name>BatchPage</name>
    <message>
        <source>Job %1 stopped before it finished: %2 of %3 products are written. Resume it to write the rest; nothing already written is generated again.</source>
        <translation>批量任务 %1 未完成就中断了：%3 个商品中已写好 %2 个。继续运行即可写完其余商品；已写好的不会重复生成。</translation>
    </message>
    <message>
        <source>(%1 more unfinished jobs are in the Review list.)</source>
        <translation>（另有 %1 个未完成的任务在“审核”列表中。）</translation>
    </message>
    <message>
        <source>Open a product file first (step 1).</source>
        <translation>请先打开商品文件（第 1 步）。</translation>
    </message>
    <message>
        <source>Choose at least one product (step 1).</source>
        <translation>请至少选择一个商品（第 1 步）。</translation>
    </message>
    <message>
        <source>%1 products will be written. The job is saved first: if the computer sleeps or Shopscribe closes, it resumes where it stopped.</source>
        <translation>将为 %1 个商品写文案。任务会先保存：即使电脑休眠或 Shopscribe 关闭，也能从中断处继续。</translation>
    </message>
    <message>
        <source>Batch job %1 started</source>
        <translation>批量任务 %1 已开始</translation>
    </message>
    <message>
        <source>Cancel the job</source>
        <translation>取消任务</translation>
    </message>
    <message>
        <source>Cancel job %1 for good? What is written stays and can be exported; the rest is not generated.</source>
        <translation>确定要彻底取消任务 %1 吗？已写好的内容会保留并可导出；其余商品不再生成。</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>取消任务</translation>
    </message>
    <message>
        <source>Wait for the job to finish (or pause it) to regenerate one item.</source>
        <translation>请等任务完成（或先暂停）后再重新生成单个条目。</translation>
    </message>
    <message>
        <source>Regenerating one item…</source>
        <translation>正在重新生成一个条目…</translation>
    </message>
    <message>
        <source>Item regenerated</source>
        <translation>条目已重新生成</translation>
    </message>
    <message>
        <source>Job %1 is complete: %2 written, %3 failed. Review them, then export.</source>
        <translation>任务 %1 已完成：写好 %2 个，失败 %3 个。请审核后导出。</translation>
    </message>
    <message>
        <source>Job %1 is paused. Resume continues with the products not yet written.</source>
        <translation>任务 %1 已暂停。继续运行会接着写尚未完成的商品。</translation>
    </message>
    <message>
        <source>The job stopped: %1 It is paused; resume it when the problem is solved.</source>
        <translation>任务中止：%1 任务已暂停；问题解决后可继续运行。</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批量生成</translation>
    </message>
    <message>
        <source>Write copy for a whole product file at once, review it, and export a file your shop imports. Everything runs on this computer.</source>
        <translation>一次为整个商品文件写文案，审核后导出店铺可直接导入的文件。全部在本机完成。</translation>
    </message>
    <message>
        <source>1 · Products</source>
        <translation>1 · 商品</translation>
    </message>
    <message>
        <source>2 · Generate</source>
        <translation>2 · 生成</translation>
    </message>
    <message>
        <source>3 · Review and export</source>
        <translation>3 · 审核与导出</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>审核</translation>
    </message>
</context>
<context>
    <name>BatchStatus</name>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Writing</source>
        <translation>生成中</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已通过</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Held back</source>
        <translation>已暂扣</translation>
    </message>
</context>
<context>
    <name>BrandEditor</name>
    <message>
        <source>A brand needs a name: type one to save it.</source>
        <translation>品牌需要一个名称：填写后即可保存。</translation>
    </message>
    <message>
        <source>These words are banned and wanted at once: %1. Remove them from one of the lists.</source>
        <translation>这些词同时出现在禁用词和要用的词里：%1。请从其中一个列表中删除。</translation>
    </message>
    <message>
        <source>Every generation with this brand gets the block below.</source>
        <translation>使用此品牌的每次生成都会加入下面这段内容。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Voice</source>
        <translation>品牌语气</translation>
    </message>
    <message>
        <source>Audience</source>
        <translation>受众</translation>
    </message>
    <message>
        <source>Words to use</source>
        <translation>常用词</translation>
    </message>
    <message>
        <source>Banned words</source>
        <translation>禁用词</translation>
    </message>
    <message>
        <source>Must-use phrases</source>
        <translation>必须出现的词句</translation>
    </message>
    <message>
        <source>Trademarks</source>
        <translation>商标</translation>
    </message>
    <message>
        <source>Examples</source>
        <translation>文案示例</translation>
    </message>
    <message>
        <source>How the brand speaks, e.g. warm, plain, a little playful</source>
        <translation>品牌怎么说话，例如：温暖、朴实、带点俏皮</translation>
    </message>
    <message>
        <source>Who buys, e.g. young parents in big cities</source>
        <translation>谁在买，例如：一二线城市的年轻父母</translation>
    </message>
    <message>
        <source>Separate with commas, e.g. 匠心、天然</source>
        <translation>用逗号或顿号分隔，例如：匠心、天然</translation>
    </message>
    <message>
        <source>Never written, and flagged by the checks</source>
        <translation>绝不写入文案，检查时会标出</translation>
    </message>
    <message>
        <source>Phrases every text must contain</source>
        <translation>每篇文案都必须包含的词句</translation>
    </message>
    <message>
        <source>Written exactly as given (and exempt from the ad-law check)</source>
        <translation>按原样书写（不受广告法用语检查）</translation>
    </message>
    <message>
        <source>A few texts in the brand&apos;s voice; separate them with an empty line. The model copies the tone only.</source>
        <translation>几段体现品牌语气的文案，用空行分隔。模型只学习语气。</translation>
    </message>
    <message>
        <source>What the brand adds to every prompt</source>
        <translation>品牌加入每条提示词的内容</translation>
    </message>
</context>
<context>
    <name>BrandsPage</name>
    <message>
        <source>%1 banned</source>
        <translation>%1 个禁用词</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>有未保存的修改</translation>
    </message>
    <message>
        <source>Discard your changes to this brand?</source>
        <translation>放弃对这个品牌的修改吗？</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>放弃修改</translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation>已保存“%1”。</translation>
    </message>
    <message>
        <source>Deleted “%1”.</source>
        <translation>已删除“%1”。</translation>
    </message>
    <message>
        <source>Delete brand</source>
        <translation>删除品牌</translation>
    </message>
    <message>
        <source>Delete the brand “%1”? Past texts keep their words.</source>
        <translation>删除品牌“%1”吗？已生成的文案不受影响。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>A brand has unsaved changes. Close anyway?</source>
        <translation>有品牌修改尚未保存。仍要关闭吗？</translation>
    </message>
    <message>
        <source>Brands</source>
        <translation>品牌</translation>
    </message>
    <message>
        <source>A brand profile tells the model how your shop speaks. Choose it on Compose or Batch: its voice and examples shape the copy, and its banned and must-use words are checked in every result.</source>
        <translation>品牌档案告诉模型你的店铺怎么说话。在“写文案”或“批量生成”中选择它：语气和示例决定文风，禁用词和必须出现的词句会在每条结果中检查。</translation>
    </message>
    <message>
        <source>Brand</source>
        <translation>品牌</translation>
    </message>
    <message>
        <source>Banned words</source>
        <translation>禁用词</translation>
    </message>
    <message>
        <source>No brands yet. Fill in the form and save to add your first one.</source>
        <translation>还没有品牌。填写表单并保存，即可添加第一个品牌。</translation>
    </message>
    <message>
        <source>New brand</source>
        <translation>新建品牌</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>撤销修改</translation>
    </message>
</context>
<context>
    <name>CatalogPanel</name>
    <message>
        <source>Offline mode is on: downloads are off. Turn offline mode off on the Settings page to download a model.</source>
        <translation>离线模式已开启：下载不可用。如需下载模型，请在“设置”页关闭离线模式。</translation>
    </message>
    <message>
        <source>★ Recommended</source>
        <translation>★ 推荐</translation>
    </message>
    <message>
        <source>Recommended for this machine</source>
        <translation>本机推荐</translation>
    </message>
    <message>
        <source>%1 · non-commercial</source>
        <translation>%1 · 非商用</translation>
    </message>
    <message>
        <source>Its licence does not allow commercial use.</source>
        <translation>其许可证不允许商业用途。</translation>
    </message>
    <message>
        <source>Recommended for this machine: %1 (%2, %3). It fits in the memory this computer has free and writes Chinese and English well.</source>
        <translation>本机推荐：%1（%2，%3）。本机空闲内存足够运行，中英文写作都不错。</translation>
    </message>
    <message>
        <source>None of the catalog&apos;s models fits comfortably in the memory free right now. The built-in model keeps working; close other programs and look again.</source>
        <translation>目录中的模型目前都无法在空闲内存中顺畅运行。内置模型仍可使用；关闭其他程序后再来看看。</translation>
    </message>
    <message>
        <source>Files of %1</source>
        <translation>%1 的文件</translation>
    </message>
    <message>
        <source>Downloaded</source>
        <translation>已下载</translation>
    </message>
    <message>
        <source>Recommended</source>
        <translation>推荐</translation>
    </message>
    <message>
        <source>Offline mode is on: downloads are off.</source>
        <translation>离线模式已开启：下载不可用。</translation>
    </message>
    <message>
        <source>Downloading %1: follow it on the Downloads tab.</source>
        <translation>正在下载 %1：可在“下载”标签页查看进度。</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>Good for</source>
        <translation>适合</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>能否运行</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
</context>
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
        <source>Must mention</source>
        <translation>必须提到</translation>
    </message>
    <message>
        <source>e.g. 316 stainless steel, 12 h cold</source>
        <translation>例如：316 不锈钢，12 小时保冷</translation>
    </message>
    <message>
        <source>Facts every result must carry, separated by commas. A result that leaves one out is flagged and scores lower.</source>
        <translation>每个结果都必须写到的信息，用逗号分隔。漏写的结果会被标出，并扣分。</translation>
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
        <source>Tone</source>
        <translation>语气</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>篇幅</translation>
    </message>
    <message>
        <source>Brand profile</source>
        <translation>品牌资料</translation>
    </message>
    <message>
        <source>Output language</source>
        <translation>输出语言</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>版本数</translation>
    </message>
    <message>
        <source>Best of (keep the best-scoring)</source>
        <translation>择优生成（保留得分最高的）</translation>
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
    <name>DownloadRow</name>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Remove from list</source>
        <translation>从列表移除</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>DownloadsPanel</name>
    <message>
        <source>No downloads. Pick a model in the Catalog or search Hugging Face; downloads keep going while you work on other pages, and a paused download resumes where it stopped, even after Shopscribe was closed.</source>
        <translation>没有下载任务。在“模型目录”中选择模型或搜索 Hugging Face；在其他页面工作时下载会继续进行，暂停的下载即使关闭 Shopscribe 后也能从中断处继续。</translation>
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
    <name>EnginesPanel</name>
    <message>
        <source>This computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>Team server</source>
        <translation>团队服务器</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Add a server first.</source>
        <translation>请先添加一台服务器。</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <source>Connected. Model: %1. The server offers: %2.</source>
        <translation>已连接。模型：%1。该服务器提供：%2。</translation>
    </message>
    <message>
        <source>Generate with</source>
        <translation>生成引擎</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>An OpenAI-compatible server your team runs (llama-server, vLLM, Ollama, another Shopscribe). Only the prompts go to it; your history stays here. Leave Model empty for the server&apos;s first model. With Offline mode on, servers on your local network that you add here still work; internet addresses do not.</source>
        <translation>由您的团队运行的 OpenAI 兼容服务器（llama-server、vLLM、Ollama 或另一台 Shopscribe）。只有提示词会发送给它，历史记录仍保存在本机。模型留空则使用该服务器的第一个模型。开启离线模式后，在此添加的局域网服务器仍可使用，互联网地址则不可用。</translation>
    </message>
    <message>
        <source>Serve on this computer</source>
        <translation>在本机提供服务</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Scripts and other tools on this computer can then use the model through the OpenAI API at this address. What they ask is not stored in your history.</source>
        <translation>本机上的脚本和其他工具即可通过此地址的 OpenAI API 使用该模型。它们的请求不会保存到您的历史记录中。</translation>
    </message>
    <message>
        <source>Not serving</source>
        <translation>未在提供服务</translation>
    </message>
</context>
<context>
    <name>FindingsList</name>
    <message>
        <source>From: %1</source>
        <translation>来自：%1</translation>
    </message>
    <message>
        <source>Quality %1 / 100</source>
        <translation>质量分 %1 / 100</translation>
    </message>
    <message>
        <source>nothing taken off</source>
        <translation>没有扣分</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>%1 more</source>
        <translation>另有 %1 项</translation>
    </message>
    <message>
        <source>Backed by your input: %1</source>
        <translation>以你的输入为依据：%1</translation>
    </message>
    <message>
        <source>Show all %1 findings</source>
        <translation>显示全部 %1 条问题</translation>
    </message>
    <message>
        <source>Add all %1 missing facts</source>
        <translation>补上全部 %1 条漏写的信息</translation>
    </message>
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
    <name>FixButton</name>
    <message>
        <source>Fix with the model</source>
        <translation>用模型修改</translation>
    </message>
    <message>
        <source>Fixing…</source>
        <translation>正在修改…</translation>
    </message>
    <message>
        <source>Fixing… round %1 of %2</source>
        <translation>正在修改… 第 %1/%2 轮</translation>
    </message>
    <message>
        <source>The model rewrites the text with the findings as instructions; you see the changes before anything is replaced. Stop (Esc) ends it.</source>
        <translation>模型按检查提示改写文本；替换之前你会先看到所有改动。点“停止”（Esc）可中止。</translation>
    </message>
</context>
<context>
    <name>FixDialog</name>
    <message numerus="yes">
        <source>Fixed (%n)</source>
        <translation>
            <numerusform>已解决（%n）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Still there (%n)</source>
        <translation>
            <numerusform>仍存在（%n）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>New (%n)</source>
        <translation>
            <numerusform>新出现（%n）</numerusform>
        </translation>
    </message>
    <message>
        <source>No findings before or after.</source>
        <translation>修改前后都没有检查提示。</translation>
    </message>
    <message>
        <source>The model found no better version: your text stays as it is.</source>
        <translation>模型没有找到更好的版本：你的文本保持不变。</translation>
    </message>
    <message numerus="yes">
        <source>The model left out %n key fact(s): they were added at the end, in your words, a line each. Keep them, edit them, or undo.</source>
        <translation>
            <numerusform>模型漏写了 %n 条关键信息，已按你的原话逐条补在文末。可以保留、修改或撤销。</numerusform>
        </translation>
    </message>
    <message>
        <source>Some blocking findings are still there: fix them by hand, or with a suggestion.</source>
        <translation>仍有必须修改的问题：请手动修改，或使用检查提示中的建议。</translation>
    </message>
    <message>
        <source>Fix with the model</source>
        <translation>用模型修改</translation>
    </message>
    <message>
        <source>Blocking findings: %1 → %2 · All findings: %3 → %4 · Model rounds: %5</source>
        <translation>必须修改：%1 → %2 · 全部检查提示：%3 → %4 · 模型轮数：%5</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>改动</translation>
    </message>
    <message>
        <source>Findings before → after</source>
        <translation>检查提示：修改前 → 修改后</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>Use the fixed text</source>
        <translation>使用修改后的文本</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>保留我的版本</translation>
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
            <numerusform>%n 条结果</numerusform>
        </translation>
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
            <numerusform>已选 %n 条</numerusform>
        </translation>
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
            <numerusform>要从历史记录中删除 %n 条结果吗？此操作无法撤销。</numerusform>
        </translation>
    </message>
    <message>
        <source>Export history</source>
        <translation>导出历史记录</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n result(s) to %1</source>
        <translation>
            <numerusform>已导出 %n 条结果到 %1</numerusform>
        </translation>
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
    <name>HubSearchPanel</name>
    <message>
        <source>Searching Hugging Face for “%1”…</source>
        <translation>正在 Hugging Face 上搜索“%1”…</translation>
    </message>
    <message>
        <source>%1 repositories with GGUF files</source>
        <translation>%1 个含 GGUF 文件的仓库</translation>
    </message>
    <message>
        <source>Gated: needs a token</source>
        <translation>受限：需要访问令牌</translation>
    </message>
    <message>
        <source>Reading the files of %1…</source>
        <translation>正在读取 %1 的文件…</translation>
    </message>
    <message>
        <source>%1: %2 GGUF files</source>
        <translation>%1：%2 个 GGUF 文件</translation>
    </message>
    <message>
        <source>Split into several files: not supported</source>
        <translation>拆分为多个文件：不支持</translation>
    </message>
    <message>
        <source>No checksum on the Hub: cannot be verified</source>
        <translation>Hub 上没有校验和：无法校验</translation>
    </message>
    <message>
        <source>Downloading %1: follow it on the Downloads tab.</source>
        <translation>正在下载 %1：可在“下载”标签页查看进度。</translation>
    </message>
    <message>
        <source>Search GGUF models, e.g. Qwen2.5 instruct</source>
        <translation>搜索 GGUF 模型，例如 Qwen2.5 instruct</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Access token (gated models only)</source>
        <translation>访问令牌（仅受限模型需要）</translation>
    </message>
    <message>
        <source>Some models need you to accept their licence on Hugging Face and use an access token. It is used for this session only and never saved.</source>
        <translation>有些模型需要先在 Hugging Face 上接受许可，并使用访问令牌。令牌只在本次使用，不会保存。</translation>
    </message>
    <message>
        <source>Offline mode is on, so search and download are off: nothing goes to the network. Turn offline mode off on the Settings page to use them.</source>
        <translation>离线模式已开启，搜索和下载不可用：不会访问网络。如需使用，请在“设置”页关闭离线模式。</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>仓库</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Likes</source>
        <translation>点赞</translation>
    </message>
    <message>
        <source>Access</source>
        <translation>访问</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <source>Quantization / file</source>
        <translation>量化 / 文件</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>能否运行</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Nothing goes online until you press Search.</source>
        <translation>点击“搜索”之前不会访问网络。</translation>
    </message>
</context>
<context>
    <name>ImportPanel</name>
    <message>
        <source>Open a product file</source>
        <translation>打开商品文件</translation>
    </message>
    <message>
        <source>Product files (*.csv *.tsv *.txt *.xlsx);;All files (*)</source>
        <translation>商品文件 (*.csv *.tsv *.txt *.xlsx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message>
        <source>Nothing was imported. %1</source>
        <translation>没有导入任何内容。%1</translation>
    </message>
    <message>
        <source>%1 · %2 products · %3</source>
        <translation>%1 · %2 个商品 · %3</translation>
    </message>
    <message>
        <source>— keep as extra column</source>
        <translation>— 作为附加列保留</translation>
    </message>
    <message>
        <source>… and %1 more.</source>
        <translation>……还有 %1 条。</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（无名称）</translation>
    </message>
    <message>
        <source>Products: %1 of %2 chosen</source>
        <translation>商品：已选 %1 / %2</translation>
    </message>
    <message>
        <source>Open a product file…</source>
        <translation>打开商品文件…</translation>
    </message>
    <message>
        <source>CSV, TSV or XLSX: a Shopify export, a Taobao or JD sheet, or your own. Nothing is stored until you start.</source>
        <translation>CSV、TSV 或 XLSX：Shopify 导出文件、淘宝或京东表格，或你自己的表格。开始生成前不会保存任何内容。</translation>
    </message>
    <message>
        <source>Read with this encoding</source>
        <translation>用此编码读取</translation>
    </message>
    <message>
        <source>Columns: correct what each one is</source>
        <translation>列：确认每一列对应的字段</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Example</source>
        <translation>示例</translation>
    </message>
    <message>
        <source>Product field</source>
        <translation>商品字段</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>SKU / handle</source>
        <translation>SKU / 句柄</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>None</source>
        <translation>全不选</translation>
    </message>
</context>
<context>
    <name>ItemEditor</name>
    <message>
        <source>Choose an item in the table.</source>
        <translation>请在表格中选择一个条目。</translation>
    </message>
    <message>
        <source>Why it failed: %1</source>
        <translation>失败原因：%1</translation>
    </message>
    <message>
        <source>Accept anyway</source>
        <translation>仍然通过</translation>
    </message>
    <message>
        <source>Held back from the export until you accept it:</source>
        <translation>在你确认通过之前，不会导出：</translation>
    </message>
    <message>
        <source>remove it</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>add “%1”</source>
        <translation>补上“%1”</translation>
    </message>
    <message>
        <source>write “%1” instead</source>
        <translation>改为“%1”</translation>
    </message>
    <message>
        <source>Save edit</source>
        <translation>保存修改</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Undo review</source>
        <translation>撤销审核</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
</context>
<context>
    <name>LocalModelsPanel</name>
    <message>
        <source> (in use)</source>
        <translation>（使用中）</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>Cannot be used</source>
        <translation>无法使用</translation>
    </message>
    <message>
        <source>Import a model file</source>
        <translation>导入模型文件</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF 模型 (*.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Import cancelled.</source>
        <translation>已取消导入。</translation>
    </message>
    <message>
        <source>Imported %1.</source>
        <translation>已导入 %1。</translation>
    </message>
    <message>
        <source>Model %1 imported</source>
        <translation>模型 %1 已导入</translation>
    </message>
    <message>
        <source>This file was not imported. %1</source>
        <translation>此文件未导入。%1</translation>
    </message>
    <message>
        <source>%1 is now the default model.</source>
        <translation>%1 现在是默认模型。</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>This model may not fit</source>
        <translation>这个模型可能无法运行</translation>
    </message>
    <message>
        <source>%1

Load it anyway? The computer may become very slow.</source>
        <translation>%1

仍要加载吗？电脑可能会变得很慢。</translation>
    </message>
    <message>
        <source>Load anyway</source>
        <translation>仍然加载</translation>
    </message>
    <message>
        <source>%1 is in use. Load another model first, then remove it.</source>
        <translation>%1 正在使用。请先加载其他模型，再移除它。</translation>
    </message>
    <message>
        <source>Forget %1? The file stays where it is.</source>
        <translation>要移除 %1 吗？文件会保留在原处。</translation>
    </message>
    <message>
        <source>Remove %1? Its file (%2) is deleted from the data folder.</source>
        <translation>要移除 %1 吗？它的文件（%2）会从数据文件夹中删除。</translation>
    </message>
    <message>
        <source>Remove model</source>
        <translation>移除模型</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Removed %1.</source>
        <translation>已移除 %1。</translation>
    </message>
    <message>
        <source>Settings saved for %1.</source>
        <translation>已保存 %1 的设置。</translation>
    </message>
    <message>
        <source>Safe mode reset for %1.</source>
        <translation>已重置 %1 的安全模式。</translation>
    </message>
    <message>
        <source>Measuring %1 on this computer…</source>
        <translation>正在本机测量 %1…</translation>
    </message>
    <message>
        <source>Measured %1: the fastest settings are kept.</source>
        <translation>已测量 %1：保留了最快的设置。</translation>
    </message>
    <message>
        <source>Import a model file…</source>
        <translation>导入模型文件…</translation>
    </message>
    <message>
        <source>Use the file where it is (don&apos;t copy)</source>
        <translation>直接使用原文件（不复制）</translation>
    </message>
    <message>
        <source>Load now</source>
        <translation>立即加载</translation>
    </message>
    <message>
        <source>Set as default</source>
        <translation>设为默认</translation>
    </message>
    <message>
        <source>Use this model from now on (it loads now and at every start).</source>
        <translation>从现在起使用这个模型（立即加载，以后每次启动也加载）。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>能否运行</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Engine settings measured for this computer: %1</source>
        <translation>已为本机测量引擎设置：%1</translation>
    </message>
    <message>
        <source>The engine settings could not be measured; the usual ones stay. %1</source>
        <translation>无法测量引擎设置，继续使用常规设置。%1</translation>
    </message>
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
    <name>ModelFixer</name>
    <message>
        <source>The model is busy: fix when the generation has finished.</source>
        <translation>模型正忙：请在生成结束后再修改。</translation>
    </message>
    <message>
        <source>Fixing stopped: your text is unchanged.</source>
        <translation>已停止修改：你的文本没有变化。</translation>
    </message>
    <message>
        <source>Nothing to fix: the checks found nothing.</source>
        <translation>无需修改：检查没有发现问题。</translation>
    </message>
    <message>
        <source>The text changed while the model worked: its version was set aside.</source>
        <translation>模型工作期间文本被改动了：已放弃模型的版本。</translation>
    </message>
    <message>
        <source>Fixing failed</source>
        <translation>修改失败</translation>
    </message>
    <message>
        <source>Saving failed</source>
        <translation>保存失败</translation>
    </message>
    <message>
        <source>The fixed text is in place (Ctrl+Z undoes it).</source>
        <translation>已换成修改后的文本（Ctrl+Z 可撤销）。</translation>
    </message>
</context>
<context>
    <name>ModelSettingsForm</name>
    <message>
        <source>No model selected</source>
        <translation>未选择模型</translation>
    </message>
    <message>
        <source>Choose a model in the list to see its details and settings.</source>
        <translation>在列表中选择一个模型，查看详情和设置。</translation>
    </message>
    <message>
        <source>Settings for %1</source>
        <translation>%1 的设置</translation>
    </message>
    <message>
        <source>This file cannot be used: %1</source>
        <translation>此文件无法使用：%1</translation>
    </message>
    <message>
        <source>built in</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>in the data folder</source>
        <translation>在数据文件夹中</translation>
    </message>
    <message>
        <source>used where it is</source>
        <translation>使用原位置的文件</translation>
    </message>
    <message>
        <source>has its own chat template</source>
        <translation>自带对话模板</translation>
    </message>
    <message>
        <source>no chat template in the file</source>
        <translation>文件中没有对话模板</translation>
    </message>
    <message>
        <source>%1 · %2 · %3
File: %4</source>
        <translation>%1 · %2 · %3
文件：%4</translation>
    </message>
    <message>
        <source>Nothing learnt yet: the engine measures its settings the first time this model loads.</source>
        <translation>尚无记录：首次加载此模型时，引擎会在本机测量最合适的设置。</translation>
    </message>
    <message>
        <source>Safe mode: off (no crash seen)</source>
        <translation>安全模式：关闭（未发生过崩溃）</translation>
    </message>
    <message>
        <source>Measured: %1</source>
        <translation>测量结果：%1</translation>
    </message>
    <message>
        <source>Measured: not yet</source>
        <translation>测量结果：尚未测量</translation>
    </message>
    <message>
        <source>Devices (as llama.cpp sees them): %1</source>
        <translation>设备(llama.cpp 识别到的):%1</translation>
    </message>
    <message>
        <source>Context length (tokens)</source>
        <translation>上下文长度（token）</translation>
    </message>
    <message>
        <source>GPU layers</source>
        <translation>GPU 层数</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>线程数</translation>
    </message>
    <message>
        <source>Flash attention</source>
        <translation>Flash Attention 加速</translation>
    </message>
    <message>
        <source>Chat template override</source>
        <translation>自定义对话模板</translation>
    </message>
    <message>
        <source>Measured on this computer</source>
        <translation>按本机测量</translation>
    </message>
    <message>
        <source>llama.cpp decides</source>
        <translation>由 llama.cpp 决定</translation>
    </message>
    <message>
        <source>On</source>
        <translation>开启</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Faster on some computers, slower on others: left at &quot;Measured&quot;, Shopscribe times both on this computer and keeps the faster.</source>
        <translation>在有些电脑上更快，有些电脑上更慢：保持“按本机测量”时，Shopscribe 会在本机分别计时并保留较快的一种。</translation>
    </message>
    <message>
        <source>On this computer</source>
        <translation>本机情况</translation>
    </message>
    <message>
        <source>Measure again</source>
        <translation>重新测量</translation>
    </message>
    <message>
        <source>Time flash attention and thread counts with this model (a few seconds) and keep the fastest.</source>
        <translation>用此模型测试 Flash Attention 和不同线程数的速度（几秒钟），保留最快的设置。</translation>
    </message>
    <message>
        <source>Reset safe mode</source>
        <translation>重置安全模式</translation>
    </message>
    <message>
        <source>Forget the safe mode and the measured settings: the next start uses the normal settings and checks them again.</source>
        <translation>清除安全模式和测量结果：下次启动时使用常规设置并重新检查。</translation>
    </message>
    <message>
        <source>Auto (as many as fit)</source>
        <translation>自动(能放多少放多少)</translation>
    </message>
    <message>
        <source>How many layers run on the graphics card: 0 keeps everything on the CPU; Auto puts as many as fit in the GPU&apos;s free memory. If the GPU cannot take them, Shopscribe falls back to the CPU and says why.</source>
        <translation>在显卡上运行多少层:0 表示全部在 CPU 上运行;自动会按显卡的空闲显存放入尽可能多的层。如果显卡放不下,Shopscribe 会改用 CPU 并说明原因。</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Empty: use the chat template inside the model file</source>
        <translation>留空：使用模型文件自带的对话模板</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>保存设置</translation>
    </message>
    <message>
        <source>Reset to defaults</source>
        <translation>恢复默认</translation>
    </message>
</context>
<context>
    <name>Models</name>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>%1 of %2 · %3 · %4 left</source>
        <translation>%1 / %2 · %3 · 剩余 %4</translation>
    </message>
    <message>
        <source>Connection lost; trying again (attempt %1)…</source>
        <translation>连接中断，正在重试（第 %1 次）…</translation>
    </message>
    <message>
        <source>Checking the file against the Hub&apos;s sha256… %1%</source>
        <translation>正在用 Hub 的 sha256 校验文件… %1%</translation>
    </message>
    <message>
        <source>Paused at %1 of %2. Resume continues where it stopped.</source>
        <translation>已暂停，已下载 %1 / %2。继续后会从中断处接着下载。</translation>
    </message>
    <message>
        <source>Done and verified: %1 is in your models.</source>
        <translation>下载完成并已校验：%1 已加入你的模型。</translation>
    </message>
</context>
<context>
    <name>ModelsPage</name>
    <message>
        <source>Model %1 downloaded and verified</source>
        <translation>模型 %1 已下载并校验</translation>
    </message>
    <message>
        <source>Downloads (%1)</source>
        <translation>下载（%1）</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>The model writes your copy, on this computer. The built-in model works at once; a larger one writes better Chinese and English. Each model shows whether it fits this machine&apos;s memory.</source>
        <translation>模型在本机为你写文案。内置模型开箱即用；更大的模型中英文写得更好。每个模型都会显示本机内存能否运行。</translation>
    </message>
    <message>
        <source>On this computer</source>
        <translation>本机模型</translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation>模型目录</translation>
    </message>
    <message>
        <source>Search Hugging Face</source>
        <translation>搜索 Hugging Face</translation>
    </message>
</context>
<context>
    <name>OutputsTable</name>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>List</source>
        <translation>列表</translation>
    </message>
    <message>
        <source>Add output</source>
        <translation>添加输出</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Platform field (limit)</source>
        <translation>平台字段（字数限制）</translation>
    </message>
    <message>
        <source>Description (中文)</source>
        <translation>说明（中文）</translation>
    </message>
    <message>
        <source>Description (English)</source>
        <translation>说明（英文）</translation>
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
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Brands</source>
        <translation>品牌</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
</context>
<context>
    <name>PromptDialog</name>
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
</context>
<context>
    <name>PromptPair</name>
    <message>
        <source>System prompt: who the model is and the rules it follows</source>
        <translation>系统提示词：模型的角色和要遵守的规则</translation>
    </message>
    <message>
        <source>User prompt: the request, with {{ product }} and other variables</source>
        <translation>用户提示词：具体要求，可使用 {{ product }} 等变量</translation>
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
        <source>Not in Chinese: writing it again in Chinese only…</source>
        <translation>不是中文：正在只用中文重写…</translation>
    </message>
    <message>
        <source>Not in English: writing it again in English only…</source>
        <translation>不是英文：正在只用英文重写…</translation>
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
            <numerusform>评 %n 星</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <source>Job %1 · %2 · %3 of %4 · %5</source>
        <translation>任务 %1 · %2 · %3 / %4 · %5</translation>
    </message>
    <message>
        <source>Not exported until you accept it: %1</source>
        <translation>确认通过前不会导出：%1</translation>
    </message>
    <message>
        <source>Saved, but the text does not pass yet: %1</source>
        <translation>已保存，但文本仍未通过检查：%1</translation>
    </message>
    <message>
        <source>Saved your edit.</source>
        <translation>已保存你的修改。</translation>
    </message>
    <message>
        <source>Export the results</source>
        <translation>导出结果</translation>
    </message>
    <message>
        <source>Spreadsheets (*%1)</source>
        <translation>表格文件 (*%1)</translation>
    </message>
    <message>
        <source>Exported %1 of %2 products to %3.</source>
        <translation>已将 %2 个商品中的 %1 个导出到 %3。</translation>
    </message>
    <message>
        <source>%1 held back (their original text stays): accept them to export them.</source>
        <translation>%1 条已暂扣（保留原文）：确认通过后才会导出。</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>To review</source>
        <translation>待审核</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>With findings</source>
        <translation>有检查提示</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已通过</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>检查提示</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Worst score first</source>
        <translation>得分最低的在前</translation>
    </message>
    <message>
        <source>File order</source>
        <translation>文件顺序</translation>
    </message>
    <message>
        <source>Shopify CSV (your file, filled in)</source>
        <translation>Shopify CSV（在你的文件中填入）</translation>
    </message>
    <message>
        <source>CSV · UTF-8</source>
        <translation>CSV · UTF-8</translation>
    </message>
    <message>
        <source>CSV · UTF-8 with BOM (Excel)</source>
        <translation>CSV · 带 BOM 的 UTF-8（Excel）</translation>
    </message>
    <message>
        <source>CSV · GB18030 (Chinese Excel)</source>
        <translation>CSV · GB18030（中文版 Excel）</translation>
    </message>
    <message>
        <source>XLSX</source>
        <translation>XLSX</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
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
        <source>Writing</source>
        <translation>写作</translation>
    </message>
    <message>
        <source>Engines</source>
        <translation>生成引擎</translation>
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
        <source>Repetition guard</source>
        <translation>防重复</translation>
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
        <source>0 runs on the CPU; Auto puts as many layers on the GPU as fit.</source>
        <translation>0 表示在 CPU 上运行;自动会把尽可能多的层放到 GPU 上。</translation>
    </message>
    <message>
        <source>Auto (as many as fit)</source>
        <translation>自动(能放多少放多少)</translation>
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
        <source>Learn from the copy I keep</source>
        <translation>从我保留的文案中学习</translation>
    </message>
    <message>
        <source>Results you favourite, accept or edit for a template and platform are shown to the model as examples (your edited version wins), within a small budget. Nothing is trained and nothing leaves this computer.</source>
        <translation>同一模板和平台下，您收藏、采用或编辑过的结果会作为示例提供给模型（以您编辑后的版本为准），篇幅受限。不会训练模型，任何内容都不会离开这台电脑。</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>llama.cpp&apos;s DRY sampler: the higher, the harder the model is kept from repeating a phrase it has already written. 0 turns it off.</source>
        <translation>llama.cpp 的 DRY 采样器：数值越高，越能防止模型重复已写过的短语。设为 0 即关闭。</translation>
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
<context>
    <name>SetupPanel</name>
    <message>
        <source>No brand</source>
        <translation>不使用品牌</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>The platform&apos;s language</source>
        <translation>跟随平台语言</translation>
    </message>
    <message>
        <source>Any platform</source>
        <translation>不限平台</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>%1 of %2 finished · %3 failed</source>
        <translation>已完成 %1 / %2 · 失败 %3</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>约剩 %1</translation>
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
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Answers per product</source>
        <translation>每个商品的答案数</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>最大 token 数</translation>
    </message>
    <message>
        <source>Best of (keep the best-scoring)</source>
        <translation>择优生成（保留得分最高的）</translation>
    </message>
    <message>
        <source>Must mention</source>
        <translation>必须提到</translation>
    </message>
    <message>
        <source>Key facts left out</source>
        <translation>漏写的关键信息</translation>
    </message>
    <message>
        <source>Template default</source>
        <translation>模板默认</translation>
    </message>
    <message>
        <source>Several answers per product: the first valid one is used.</source>
        <translation>每个商品生成多个答案：使用第一个合格的答案。</translation>
    </message>
    <message>
        <source>Write this many candidates for each answer in one pass and keep the one with the best quality score. Each extra candidate adds work.</source>
        <translation>每个答案一次生成这么多候选，保留质量分最高的一个。每多一个候选，工作量就多一份。</translation>
    </message>
    <message>
        <source>e.g. free shipping, 2-year warranty</source>
        <translation>例如：包邮，两年保修</translation>
    </message>
    <message>
        <source>Facts every product&apos;s copy must carry, separated by commas. An answer that leaves one out is flagged and scores lower.</source>
        <translation>每个商品的文案都必须写到的信息，用逗号分隔。漏写的答案会被标出，并扣分。</translation>
    </message>
    <message>
        <source>Add them at the end, a line each</source>
        <translation>逐条补在文末</translation>
    </message>
    <message>
        <source>Small models often leave a product&apos;s sizes, durations or features out. With this on, each one an answer leaves out is added at the end of its main text, in the product&apos;s own words.</source>
        <translation>小模型常会漏写商品的尺寸、时长或卖点。开启后，回答漏写的每一条都会按商品资料的原话补在正文末尾。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>取消任务</translation>
    </message>
</context>
<context>
    <name>TemplateEditor</name>
    <message>
        <source>Any platform</source>
        <translation>不限平台</translation>
    </message>
    <message>
        <source>Name (中文 / English)</source>
        <translation>名称（中文 / 英文）</translation>
    </message>
    <message>
        <source>Content type, platform</source>
        <translation>内容类型、平台</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Name in Chinese</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <source>Name in English</source>
        <translation>英文名称</translation>
    </message>
    <message>
        <source>Prompts · 中文</source>
        <translation>提示词 · 中文</translation>
    </message>
    <message>
        <source>Prompts · English</source>
        <translation>提示词 · 英文</translation>
    </message>
    <message>
        <source>Variables</source>
        <translation>变量</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>输出</translation>
    </message>
</context>
<context>
    <name>TemplateList</name>
    <message>
        <source>Any platform</source>
        <translation>不限平台</translation>
    </message>
    <message>
        <source>Built-in</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>Yours</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source> · hidden</source>
        <translation> · 已隐藏</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
</context>
<context>
    <name>TemplatePreview</name>
    <message>
        <source>The template is valid. The preview uses the sample values.</source>
        <translation>模板有效。预览使用示例值。</translation>
    </message>
    <message>
        <source>Prompt preview</source>
        <translation>提示词预览</translation>
    </message>
    <message>
        <source>The prompt the model reads, rendered with the sample values</source>
        <translation>模型读到的提示词（用示例值渲染）</translation>
    </message>
    <message>
        <source>Change the sample values in the Variables tab to see the prompt with other products. Variables: {{ product }} lists every product field; {{ rules }} adds the honesty rules; any variable name inserts its value.</source>
        <translation>在“变量”标签页修改示例值，可查看换成其他商品时的提示词。变量：{{ product }} 列出全部商品字段；{{ rules }} 加入诚信规则；写变量名即插入它的值。</translation>
    </message>
</context>
<context>
    <name>TemplateTables</name>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
</context>
<context>
    <name>TemplatesPage</name>
    <message>
        <source>Unsaved changes</source>
        <translation>有未保存的修改</translation>
    </message>
    <message>
        <source>Discard your changes to this template?</source>
        <translation>放弃对这个模板的修改吗？</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>放弃修改</translation>
    </message>
    <message>
        <source>Show in lists</source>
        <translation>重新显示</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation>已保存“%1”。</translation>
    </message>
    <message>
        <source>Duplicated as “%1”: edit it and save.</source>
        <translation>已复制为“%1”：修改后保存即可。</translation>
    </message>
    <message>
        <source>Delete template</source>
        <translation>删除模板</translation>
    </message>
    <message>
        <source>Delete “%1”? This cannot be undone.</source>
        <translation>删除“%1”吗？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Import templates</source>
        <translation>导入模板</translation>
    </message>
    <message>
        <source>Template files (*.json)</source>
        <translation>模板文件 (*.json)</translation>
    </message>
    <message>
        <source>Imported %1 template(s).</source>
        <translation>已导入 %1 个模板。</translation>
    </message>
    <message>
        <source>Export template</source>
        <translation>导出模板</translation>
    </message>
    <message>
        <source>Exported to %1.</source>
        <translation>已导出到 %1。</translation>
    </message>
    <message>
        <source>A template has unsaved changes. Close anyway?</source>
        <translation>有模板修改尚未保存。仍要关闭吗？</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>A template is the prompt behind each kind of copy. Built-in templates are read-only: duplicate one to change it. The preview shows what the model reads.</source>
        <translation>模板是每类文案背后的提示词。内置模板只读：复制后即可修改。预览显示模型实际读到的内容。</translation>
    </message>
    <message>
        <source>Show hidden templates</source>
        <translation>显示已隐藏的模板</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>This built-in template is read-only. Duplicate it to make your own version to edit.</source>
        <translation>这是只读的内置模板。复制一份即可编辑你自己的版本。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>撤销修改</translation>
    </message>
</context>
<context>
    <name>VariablesTable</name>
    <message>
        <source>Add variable</source>
        <translation>添加变量</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Label (中文)</source>
        <translation>标签（中文）</translation>
    </message>
    <message>
        <source>Label (English)</source>
        <translation>标签（英文）</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>Sample value (for the preview)</source>
        <translation>示例值（用于预览）</translation>
    </message>
</context>
<context>
    <name>Work</name>
    <message>
        <source>This did not work</source>
        <translation>操作未能完成</translation>
    </message>
</context>
</TS>
