<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>BatchFields</name>
    <message>
        <source>Handle</source>
        <translation>Handle</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Product name</source>
        <translation>Product name</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Features</source>
        <translation>Features</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Price</translation>
    </message>
    <message>
        <source>Material</source>
        <translation>Material</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Colour</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>Brand</source>
        <translation>Brand</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>Keywords</source>
        <translation>Keywords</translation>
    </message>
    <message>
        <source>Audience</source>
        <translation>Audience</translation>
    </message>
    <message>
        <source>Vendor</source>
        <translation>Vendor</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Barcode</source>
        <translation>Barcode</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>SEO title</source>
        <translation>SEO title</translation>
    </message>
    <message>
        <source>SEO description</source>
        <translation>SEO description</translation>
    </message>
</context>
<context>
    <name>BatchPage</name>
    <message>
        <source>Job %1 stopped before it finished: %2 of %3 products are written. Resume it to write the rest; nothing already written is generated again.</source>
        <translation>Job %1 stopped before it finished: %2 of %3 products are written. Resume it to write the rest; nothing already written is generated again.</translation>
    </message>
    <message>
        <source>(%1 more unfinished jobs are in the Review list.)</source>
        <translation>(%1 more unfinished jobs are in the Review list.)</translation>
    </message>
    <message>
        <source>Open a product file first (step 1).</source>
        <translation>Open a product file first (step 1).</translation>
    </message>
    <message>
        <source>Choose at least one product (step 1).</source>
        <translation>Choose at least one product (step 1).</translation>
    </message>
    <message>
        <source>%1 products will be written. The job is saved first: if the computer sleeps or Shopscribe closes, it resumes where it stopped.</source>
        <translation>%1 products will be written. The job is saved first: if the computer sleeps or Shopscribe closes, it resumes where it stopped.</translation>
    </message>
    <message>
        <source>Batch job %1 started</source>
        <translation>Batch job %1 started</translation>
    </message>
    <message>
        <source>Cancel the job</source>
        <translation>Cancel the job</translation>
    </message>
    <message>
        <source>Cancel job %1 for good? What is written stays and can be exported; the rest is not generated.</source>
        <translation>Cancel job %1 for good? What is written stays and can be exported; the rest is not generated.</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>Cancel job</translation>
    </message>
    <message>
        <source>Wait for the job to finish (or pause it) to regenerate one item.</source>
        <translation>Wait for the job to finish (or pause it) to regenerate one item.</translation>
    </message>
    <message>
        <source>Regenerating one item…</source>
        <translation>Regenerating one item…</translation>
    </message>
    <message>
        <source>Item regenerated</source>
        <translation>Item regenerated</translation>
    </message>
    <message>
        <source>Job %1 is complete: %2 written, %3 failed. Review them, then export.</source>
        <translation>Job %1 is complete: %2 written, %3 failed. Review them, then export.</translation>
    </message>
    <message>
        <source>Job %1 is paused. Resume continues with the products not yet written.</source>
        <translation>Job %1 is paused. Resume continues with the products not yet written.</translation>
    </message>
    <message>
        <source>The job stopped: %1 It is paused; resume it when the problem is solved.</source>
        <translation>The job stopped: %1 It is paused; resume it when the problem is solved.</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>Write copy for a whole product file at once, review it, and export a file your shop imports. Everything runs on this computer.</source>
        <translation>Write copy for a whole product file at once, review it, and export a file your shop imports. Everything runs on this computer.</translation>
    </message>
    <message>
        <source>1 · Products</source>
        <translation>1 · Products</translation>
    </message>
    <message>
        <source>2 · Generate</source>
        <translation>2 · Generate</translation>
    </message>
    <message>
        <source>3 · Review and export</source>
        <translation>3 · Review and export</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Review</translation>
    </message>
</context>
<context>
    <name>BatchStatus</name>
    <message>
        <source>Waiting</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>Writing</source>
        <translation>Writing</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>Complete</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Paused</translation>
    </message>
    <message>
        <source>Held back</source>
        <translation>Held back</translation>
    </message>
</context>
<context>
    <name>BrandEditor</name>
    <message>
        <source>A brand needs a name: type one to save it.</source>
        <translation>A brand needs a name: type one to save it.</translation>
    </message>
    <message>
        <source>These words are banned and wanted at once: %1. Remove them from one of the lists.</source>
        <translation>These words are banned and wanted at once: %1. Remove them from one of the lists.</translation>
    </message>
    <message>
        <source>Every generation with this brand gets the block below.</source>
        <translation>Every generation with this brand gets the block below.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Voice</source>
        <translation>Voice</translation>
    </message>
    <message>
        <source>Audience</source>
        <translation>Audience</translation>
    </message>
    <message>
        <source>Words to use</source>
        <translation>Words to use</translation>
    </message>
    <message>
        <source>Banned words</source>
        <translation>Banned words</translation>
    </message>
    <message>
        <source>Must-use phrases</source>
        <translation>Must-use phrases</translation>
    </message>
    <message>
        <source>Trademarks</source>
        <translation>Trademarks</translation>
    </message>
    <message>
        <source>Examples</source>
        <translation>Examples</translation>
    </message>
    <message>
        <source>How the brand speaks, e.g. warm, plain, a little playful</source>
        <translation>How the brand speaks, e.g. warm, plain, a little playful</translation>
    </message>
    <message>
        <source>Who buys, e.g. young parents in big cities</source>
        <translation>Who buys, e.g. young parents in big cities</translation>
    </message>
    <message>
        <source>Separate with commas, e.g. 匠心、天然</source>
        <translation>Separate with commas, e.g. 匠心、天然</translation>
    </message>
    <message>
        <source>Never written, and flagged by the checks</source>
        <translation>Never written, and flagged by the checks</translation>
    </message>
    <message>
        <source>Phrases every text must contain</source>
        <translation>Phrases every text must contain</translation>
    </message>
    <message>
        <source>Written exactly as given (and exempt from the ad-law check)</source>
        <translation>Written exactly as given (and exempt from the ad-law check)</translation>
    </message>
    <message>
        <source>A few texts in the brand&apos;s voice; separate them with an empty line. The model copies the tone only.</source>
        <translation>A few texts in the brand&apos;s voice; separate them with an empty line. The model copies the tone only.</translation>
    </message>
    <message>
        <source>What the brand adds to every prompt</source>
        <translation>What the brand adds to every prompt</translation>
    </message>
</context>
<context>
    <name>BrandsPage</name>
    <message>
        <source>%1 banned</source>
        <translation>%1 banned</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>Discard your changes to this brand?</source>
        <translation>Discard your changes to this brand?</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Discard</translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation>Saved “%1”.</translation>
    </message>
    <message>
        <source>Deleted “%1”.</source>
        <translation>Deleted “%1”.</translation>
    </message>
    <message>
        <source>Delete brand</source>
        <translation>Delete brand</translation>
    </message>
    <message>
        <source>Delete the brand “%1”? Past texts keep their words.</source>
        <translation>Delete the brand “%1”? Past texts keep their words.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>A brand has unsaved changes. Close anyway?</source>
        <translation>A brand has unsaved changes. Close anyway?</translation>
    </message>
    <message>
        <source>Brands</source>
        <translation>Brands</translation>
    </message>
    <message>
        <source>A brand profile tells the model how your shop speaks. Choose it on Compose or Batch: its voice and examples shape the copy, and its banned and must-use words are checked in every result.</source>
        <translation>A brand profile tells the model how your shop speaks. Choose it on Compose or Batch: its voice and examples shape the copy, and its banned and must-use words are checked in every result.</translation>
    </message>
    <message>
        <source>Brand</source>
        <translation>Brand</translation>
    </message>
    <message>
        <source>Banned words</source>
        <translation>Banned words</translation>
    </message>
    <message>
        <source>No brands yet. Fill in the form and save to add your first one.</source>
        <translation>No brands yet. Fill in the form and save to add your first one.</translation>
    </message>
    <message>
        <source>New brand</source>
        <translation>New brand</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Revert</translation>
    </message>
</context>
<context>
    <name>CatalogPanel</name>
    <message>
        <source>Offline mode is on: downloads are off. Turn offline mode off on the Settings page to download a model.</source>
        <translation>Offline mode is on: downloads are off. Turn offline mode off on the Settings page to download a model.</translation>
    </message>
    <message>
        <source>★ Recommended</source>
        <translation>★ Recommended</translation>
    </message>
    <message>
        <source>Recommended for this machine</source>
        <translation>Recommended for this machine</translation>
    </message>
    <message>
        <source>%1 · non-commercial</source>
        <translation>%1 · non-commercial</translation>
    </message>
    <message>
        <source>Its licence does not allow commercial use.</source>
        <translation>Its licence does not allow commercial use.</translation>
    </message>
    <message>
        <source>Recommended for this machine: %1 (%2, %3). It fits in the memory this computer has free and writes Chinese and English well.</source>
        <translation>Recommended for this machine: %1 (%2, %3). It fits in the memory this computer has free and writes Chinese and English well.</translation>
    </message>
    <message>
        <source>None of the catalog&apos;s models fits comfortably in the memory free right now. The built-in model keeps working; close other programs and look again.</source>
        <translation>None of the catalog&apos;s models fits comfortably in the memory free right now. The built-in model keeps working; close other programs and look again.</translation>
    </message>
    <message>
        <source>Files of %1</source>
        <translation>Files of %1</translation>
    </message>
    <message>
        <source>Downloaded</source>
        <translation>Downloaded</translation>
    </message>
    <message>
        <source>Recommended</source>
        <translation>Recommended</translation>
    </message>
    <message>
        <source>Offline mode is on: downloads are off.</source>
        <translation>Offline mode is on: downloads are off.</translation>
    </message>
    <message>
        <source>Downloading %1: follow it on the Downloads tab.</source>
        <translation>Downloading %1: follow it on the Downloads tab.</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameters</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>Licence</translation>
    </message>
    <message>
        <source>Good for</source>
        <translation>Good for</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Fit</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>Quantization</translation>
    </message>
    <message>
        <source>File</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Download</translation>
    </message>
</context>
<context>
    <name>ComposeForm</name>
    <message>
        <source>No brand</source>
        <translation>No brand</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Default</translation>
    </message>
    <message>
        <source>Any platform</source>
        <translation>Any platform</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>Required</translation>
    </message>
    <message>
        <source>What to write</source>
        <translation>What to write</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>Style</source>
        <translation>Style</translation>
    </message>
    <message>
        <source>Fields marked * are required.</source>
        <translation>Fields marked * are required.</translation>
    </message>
    <message>
        <source>Must mention</source>
        <translation>Must mention</translation>
    </message>
    <message>
        <source>e.g. 316 stainless steel, 12 h cold</source>
        <translation>e.g. 316 stainless steel, 12 h cold</translation>
    </message>
    <message>
        <source>Facts every result must carry, separated by commas. A result that leaves one out is flagged and scores lower.</source>
        <translation>Facts every result must carry, separated by commas. A result that leaves one out is flagged and scores lower.</translation>
    </message>
    <message>
        <source>Content type</source>
        <translation>Content type</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Platform</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>Template</translation>
    </message>
    <message>
        <source>Tone</source>
        <translation>Tone</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>Length</translation>
    </message>
    <message>
        <source>Brand profile</source>
        <translation>Brand profile</translation>
    </message>
    <message>
        <source>Output language</source>
        <translation>Output language</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>Variants</translation>
    </message>
    <message>
        <source>Best of (keep the best-scoring)</source>
        <translation>Best of (keep the best-scoring)</translation>
    </message>
</context>
<context>
    <name>ComposePage</name>
    <message>
        <source>Please fill in: %1</source>
        <translation>Please fill in: %1</translation>
    </message>
    <message>
        <source>Generation failed</source>
        <translation>Generation failed</translation>
    </message>
    <message>
        <source>Compose</source>
        <translation>Compose</translation>
    </message>
    <message>
        <source>Describe the product, pick where it will be published, and let the model write. Everything stays on this computer.</source>
        <translation>Describe the product, pick where it will be published, and let the model write. Everything stays on this computer.</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>Generate</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>Show prompt</source>
        <translation>Show prompt</translation>
    </message>
    <message>
        <source>Ctrl+Enter generates · Esc stops</source>
        <translation>Ctrl+Enter generates · Esc stops</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Results</translation>
    </message>
    <message>
        <source>Your results appear here, each variant in its own card, saved to the History as they finish.</source>
        <translation>Your results appear here, each variant in its own card, saved to the History as they finish.</translation>
    </message>
</context>
<context>
    <name>DownloadRow</name>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>Remove from list</source>
        <translation>Remove from list</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>DownloadsPanel</name>
    <message>
        <source>No downloads. Pick a model in the Catalog or search Hugging Face; downloads keep going while you work on other pages, and a paused download resumes where it stopped, even after Shopscribe was closed.</source>
        <translation>No downloads. Pick a model in the Catalog or search Hugging Face; downloads keep going while you work on other pages, and a paused download resumes where it stopped, even after Shopscribe was closed.</translation>
    </message>
</context>
<context>
    <name>EngineWorker</name>
    <message>
        <source>No model is loaded. Choose a model on the Models page.</source>
        <translation>No model is loaded. Choose a model on the Models page.</translation>
    </message>
</context>
<context>
    <name>EnginesPanel</name>
    <message>
        <source>This computer</source>
        <translation>This computer</translation>
    </message>
    <message>
        <source>Team server</source>
        <translation>Team server</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>Add a server first.</source>
        <translation>Add a server first.</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Connecting to %1…</translation>
    </message>
    <message>
        <source>Connected. Model: %1. The server offers: %2.</source>
        <translation>Connected. Model: %1. The server offers: %2.</translation>
    </message>
    <message>
        <source>Generate with</source>
        <translation>Generate with</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API key</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>An OpenAI-compatible server your team runs (llama-server, vLLM, Ollama, another Shopscribe). Only the prompts go to it; your history stays here. Leave Model empty for the server&apos;s first model. With Offline mode on, servers on your local network that you add here still work; internet addresses do not.</source>
        <translation>An OpenAI-compatible server your team runs (llama-server, vLLM, Ollama, another Shopscribe). Only the prompts go to it; your history stays here. Leave Model empty for the server&apos;s first model. With Offline mode on, servers on your local network that you add here still work; internet addresses do not.</translation>
    </message>
    <message>
        <source>Serve on this computer</source>
        <translation>Serve on this computer</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Scripts and other tools on this computer can then use the model through the OpenAI API at this address. What they ask is not stored in your history.</source>
        <translation>Scripts and other tools on this computer can then use the model through the OpenAI API at this address. What they ask is not stored in your history.</translation>
    </message>
    <message>
        <source>Not serving</source>
        <translation>Not serving</translation>
    </message>
</context>
<context>
    <name>FindingsList</name>
    <message>
        <source>From: %1</source>
        <translation>From: %1</translation>
    </message>
    <message>
        <source>Quality %1 / 100</source>
        <translation>Quality %1 / 100</translation>
    </message>
    <message>
        <source>nothing taken off</source>
        <translation>nothing taken off</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>%1 more</source>
        <translation>%1 more</translation>
    </message>
    <message>
        <source>Backed by your input: %1</source>
        <translation>Backed by your input: %1</translation>
    </message>
    <message>
        <source>Show all %1 findings</source>
        <translation>Show all %1 findings</translation>
    </message>
    <message>
        <source>Add all %1 missing facts</source>
        <translation>Add all %1 missing facts</translation>
    </message>
    <message>
        <source>Remove “%1”</source>
        <translation>Remove “%1”</translation>
    </message>
    <message>
        <source>Add “%1”</source>
        <translation>Add “%1”</translation>
    </message>
    <message>
        <source>Use “%1”</source>
        <translation>Use “%1”</translation>
    </message>
</context>
<context>
    <name>FixButton</name>
    <message>
        <source>Fix with the model</source>
        <translation>Fix with the model</translation>
    </message>
    <message>
        <source>Fixing…</source>
        <translation>Fixing…</translation>
    </message>
    <message>
        <source>Fixing… round %1 of %2</source>
        <translation>Fixing… round %1 of %2</translation>
    </message>
    <message>
        <source>The model rewrites the text with the findings as instructions; you see the changes before anything is replaced. Stop (Esc) ends it.</source>
        <translation>The model rewrites the text with the findings as instructions; you see the changes before anything is replaced. Stop (Esc) ends it.</translation>
    </message>
</context>
<context>
    <name>FixDialog</name>
    <message numerus="yes">
        <source>Fixed (%n)</source>
        <translation>
            <numerusform>Fixed (%n)</numerusform>
            <numerusform>Fixed (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Still there (%n)</source>
        <translation>
            <numerusform>Still there (%n)</numerusform>
            <numerusform>Still there (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>New (%n)</source>
        <translation>
            <numerusform>New (%n)</numerusform>
            <numerusform>New (%n)</numerusform>
        </translation>
    </message>
    <message>
        <source>No findings before or after.</source>
        <translation>No findings before or after.</translation>
    </message>
    <message>
        <source>The model found no better version: your text stays as it is.</source>
        <translation>The model found no better version: your text stays as it is.</translation>
    </message>
    <message numerus="yes">
        <source>The model left out %n key fact(s): they were added at the end, in your words, a line each. Keep them, edit them, or undo.</source>
        <translation>
            <numerusform>The model left out %n key fact: it was added at the end, in your words. Keep it, edit it, or undo.</numerusform>
            <numerusform>The model left out %n key facts: they were added at the end, in your words, a line each. Keep them, edit them, or undo.</numerusform>
        </translation>
    </message>
    <message>
        <source>Some blocking findings are still there: fix them by hand, or with a suggestion.</source>
        <translation>Some blocking findings are still there: fix them by hand, or with a suggestion.</translation>
    </message>
    <message>
        <source>Fix with the model</source>
        <translation>Fix with the model</translation>
    </message>
    <message>
        <source>Blocking findings: %1 → %2 · All findings: %3 → %4 · Model rounds: %5</source>
        <translation>Blocking findings: %1 → %2 · All findings: %3 → %4 · Model rounds: %5</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>Changes</translation>
    </message>
    <message>
        <source>Findings before → after</source>
        <translation>Findings before → after</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>removed</translation>
    </message>
    <message>
        <source>added</source>
        <translation>added</translation>
    </message>
    <message>
        <source>Use the fixed text</source>
        <translation>Use the fixed text</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>Keep mine</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Content type</source>
        <translation>Content type</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Platform</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>Rating</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <source>Nothing found.</source>
        <translation>Nothing found.</translation>
    </message>
    <message>
        <source>No results yet: what you generate on Compose appears here.</source>
        <translation>No results yet: what you generate on Compose appears here.</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n result</numerusform>
            <numerusform>%n results</numerusform>
        </translation>
    </message>
    <message>
        <source>All content types</source>
        <translation>All content types</translation>
    </message>
    <message>
        <source>All platforms</source>
        <translation>All platforms</translation>
    </message>
    <message numerus="yes">
        <source>%n selected</source>
        <translation>
            <numerusform>%n selected</numerusform>
            <numerusform>%n selected</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a result to see it.</source>
        <translation>Select a result to see it.</translation>
    </message>
    <message>
        <source>Model %1 · template %2 · %3 tokens at %4 tok/s · edited: %5</source>
        <translation>Model %1 · template %2 · %3 tokens at %4 tok/s · edited: %5</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>Inputs: %1</source>
        <translation>Inputs: %1</translation>
    </message>
    <message>
        <source>Delete results</source>
        <translation>Delete results</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n result(s) from the history? This cannot be undone.</source>
        <translation>
            <numerusform>Delete %n result from the history? This cannot be undone.</numerusform>
            <numerusform>Delete %n results from the history? This cannot be undone.</numerusform>
        </translation>
    </message>
    <message>
        <source>Export history</source>
        <translation>Export history</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n result(s) to %1</source>
        <translation>
            <numerusform>Exported %n result to %1</numerusform>
            <numerusform>Exported %n results to %1</numerusform>
        </translation>
    </message>
    <message>
        <source>History</source>
        <translation>History</translation>
    </message>
    <message>
        <source>Search products and texts (中文 or English)…</source>
        <translation>Search products and texts (中文 or English)…</translation>
    </message>
    <message>
        <source>Favourites only</source>
        <translation>Favourites only</translation>
    </message>
    <message>
        <source>Re-run</source>
        <translation>Re-run</translation>
    </message>
    <message>
        <source>Open on Compose with the same inputs and generate again</source>
        <translation>Open on Compose with the same inputs and generate again</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Export as %1</source>
        <translation>Export as %1</translation>
    </message>
</context>
<context>
    <name>HubSearchPanel</name>
    <message>
        <source>Searching Hugging Face for “%1”…</source>
        <translation>Searching Hugging Face for “%1”…</translation>
    </message>
    <message>
        <source>%1 repositories with GGUF files</source>
        <translation>%1 repositories with GGUF files</translation>
    </message>
    <message>
        <source>Gated: needs a token</source>
        <translation>Gated: needs a token</translation>
    </message>
    <message>
        <source>Reading the files of %1…</source>
        <translation>Reading the files of %1…</translation>
    </message>
    <message>
        <source>%1: %2 GGUF files</source>
        <translation>%1: %2 GGUF files</translation>
    </message>
    <message>
        <source>Split into several files: not supported</source>
        <translation>Split into several files: not supported</translation>
    </message>
    <message>
        <source>No checksum on the Hub: cannot be verified</source>
        <translation>No checksum on the Hub: cannot be verified</translation>
    </message>
    <message>
        <source>Downloading %1: follow it on the Downloads tab.</source>
        <translation>Downloading %1: follow it on the Downloads tab.</translation>
    </message>
    <message>
        <source>Search GGUF models, e.g. Qwen2.5 instruct</source>
        <translation>Search GGUF models, e.g. Qwen2.5 instruct</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>Access token (gated models only)</source>
        <translation>Access token (gated models only)</translation>
    </message>
    <message>
        <source>Some models need you to accept their licence on Hugging Face and use an access token. It is used for this session only and never saved.</source>
        <translation>Some models need you to accept their licence on Hugging Face and use an access token. It is used for this session only and never saved.</translation>
    </message>
    <message>
        <source>Offline mode is on, so search and download are off: nothing goes to the network. Turn offline mode off on the Settings page to use them.</source>
        <translation>Offline mode is on, so search and download are off: nothing goes to the network. Turn offline mode off on the Settings page to use them.</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>Repository</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>Downloads</translation>
    </message>
    <message>
        <source>Likes</source>
        <translation>Likes</translation>
    </message>
    <message>
        <source>Access</source>
        <translation>Access</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Updated</translation>
    </message>
    <message>
        <source>Quantization / file</source>
        <translation>Quantization / file</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Fit</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Download</translation>
    </message>
    <message>
        <source>Nothing goes online until you press Search.</source>
        <translation>Nothing goes online until you press Search.</translation>
    </message>
</context>
<context>
    <name>ImportPanel</name>
    <message>
        <source>Open a product file</source>
        <translation>Open a product file</translation>
    </message>
    <message>
        <source>Product files (*.csv *.tsv *.txt *.xlsx);;All files (*)</source>
        <translation>Product files (*.csv *.tsv *.txt *.xlsx);;All files (*)</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Reading %1…</translation>
    </message>
    <message>
        <source>Nothing was imported. %1</source>
        <translation>Nothing was imported. %1</translation>
    </message>
    <message>
        <source>%1 · %2 products · %3</source>
        <translation>%1 · %2 products · %3</translation>
    </message>
    <message>
        <source>— keep as extra column</source>
        <translation>— keep as extra column</translation>
    </message>
    <message>
        <source>… and %1 more.</source>
        <translation>… and %1 more.</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(no name)</translation>
    </message>
    <message>
        <source>Products: %1 of %2 chosen</source>
        <translation>Products: %1 of %2 chosen</translation>
    </message>
    <message>
        <source>Open a product file…</source>
        <translation>Open a product file…</translation>
    </message>
    <message>
        <source>CSV, TSV or XLSX: a Shopify export, a Taobao or JD sheet, or your own. Nothing is stored until you start.</source>
        <translation>CSV, TSV or XLSX: a Shopify export, a Taobao or JD sheet, or your own. Nothing is stored until you start.</translation>
    </message>
    <message>
        <source>Read with this encoding</source>
        <translation>Read with this encoding</translation>
    </message>
    <message>
        <source>Columns: correct what each one is</source>
        <translation>Columns: correct what each one is</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>Example</source>
        <translation>Example</translation>
    </message>
    <message>
        <source>Product field</source>
        <translation>Product field</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>SKU / handle</source>
        <translation>SKU / handle</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Price</translation>
    </message>
    <message>
        <source>All</source>
        <translation>All</translation>
    </message>
    <message>
        <source>None</source>
        <translation>None</translation>
    </message>
</context>
<context>
    <name>ItemEditor</name>
    <message>
        <source>Choose an item in the table.</source>
        <translation>Choose an item in the table.</translation>
    </message>
    <message>
        <source>Why it failed: %1</source>
        <translation>Why it failed: %1</translation>
    </message>
    <message>
        <source>Accept anyway</source>
        <translation>Accept anyway</translation>
    </message>
    <message>
        <source>Held back from the export until you accept it:</source>
        <translation>Held back from the export until you accept it:</translation>
    </message>
    <message>
        <source>remove it</source>
        <translation>remove it</translation>
    </message>
    <message>
        <source>add “%1”</source>
        <translation>add “%1”</translation>
    </message>
    <message>
        <source>write “%1” instead</source>
        <translation>write “%1” instead</translation>
    </message>
    <message>
        <source>Save edit</source>
        <translation>Save edit</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>Undo review</source>
        <translation>Undo review</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Regenerate</translation>
    </message>
</context>
<context>
    <name>LocalModelsPanel</name>
    <message>
        <source> (in use)</source>
        <translation> (in use)</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Default</translation>
    </message>
    <message>
        <source>Cannot be used</source>
        <translation>Cannot be used</translation>
    </message>
    <message>
        <source>Import a model file</source>
        <translation>Import a model file</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF models (*.gguf);;All files (*)</translation>
    </message>
    <message>
        <source>Import cancelled.</source>
        <translation>Import cancelled.</translation>
    </message>
    <message>
        <source>Imported %1.</source>
        <translation>Imported %1.</translation>
    </message>
    <message>
        <source>Model %1 imported</source>
        <translation>Model %1 imported</translation>
    </message>
    <message>
        <source>This file was not imported. %1</source>
        <translation>This file was not imported. %1</translation>
    </message>
    <message>
        <source>%1 is now the default model.</source>
        <translation>%1 is now the default model.</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Loading %1…</translation>
    </message>
    <message>
        <source>This model may not fit</source>
        <translation>This model may not fit</translation>
    </message>
    <message>
        <source>%1

Load it anyway? The computer may become very slow.</source>
        <translation>%1

Load it anyway? The computer may become very slow.</translation>
    </message>
    <message>
        <source>Load anyway</source>
        <translation>Load anyway</translation>
    </message>
    <message>
        <source>%1 is in use. Load another model first, then remove it.</source>
        <translation>%1 is in use. Load another model first, then remove it.</translation>
    </message>
    <message>
        <source>Forget %1? The file stays where it is.</source>
        <translation>Forget %1? The file stays where it is.</translation>
    </message>
    <message>
        <source>Remove %1? Its file (%2) is deleted from the data folder.</source>
        <translation>Remove %1? Its file (%2) is deleted from the data folder.</translation>
    </message>
    <message>
        <source>Remove model</source>
        <translation>Remove model</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Removed %1.</source>
        <translation>Removed %1.</translation>
    </message>
    <message>
        <source>Settings saved for %1.</source>
        <translation>Settings saved for %1.</translation>
    </message>
    <message>
        <source>Safe mode reset for %1.</source>
        <translation>Safe mode reset for %1.</translation>
    </message>
    <message>
        <source>Measuring %1 on this computer…</source>
        <translation>Measuring %1 on this computer…</translation>
    </message>
    <message>
        <source>Measured %1: the fastest settings are kept.</source>
        <translation>Measured %1: the fastest settings are kept.</translation>
    </message>
    <message>
        <source>Import a model file…</source>
        <translation>Import a model file…</translation>
    </message>
    <message>
        <source>Use the file where it is (don&apos;t copy)</source>
        <translation>Use the file where it is (don&apos;t copy)</translation>
    </message>
    <message>
        <source>Load now</source>
        <translation>Load now</translation>
    </message>
    <message>
        <source>Set as default</source>
        <translation>Set as default</translation>
    </message>
    <message>
        <source>Use this model from now on (it loads now and at every start).</source>
        <translation>Use this model from now on (it loads now and at every start).</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>Architecture</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameters</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>Quantization</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>Context</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Fit</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Engine settings measured for this computer: %1</source>
        <translation>Engine settings measured for this computer: %1</translation>
    </message>
    <message>
        <source>The engine settings could not be measured; the usual ones stay. %1</source>
        <translation>The engine settings could not be measured; the usual ones stay. %1</translation>
    </message>
    <message>
        <source>The model could not be loaded. %1</source>
        <translation>The model could not be loaded. %1</translation>
    </message>
    <message>
        <source>The model could not be loaded</source>
        <translation>The model could not be loaded</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>Model: %1</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Loading the model…</translation>
    </message>
    <message>
        <source>Generating at %1 tok/s</source>
        <translation>Generating at %1 tok/s</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Ready</translation>
    </message>
    <message>
        <source>Model not loaded</source>
        <translation>Model not loaded</translation>
    </message>
    <message>
        <source>No model yet</source>
        <translation>No model yet</translation>
    </message>
    <message>
        <source>Shopscribe — marketing copy written on your computer</source>
        <translation>Shopscribe — marketing copy written on your computer</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>Data: %1</source>
        <translation>Data: %1</translation>
    </message>
    <message>
        <source>Open the data folder: %1</source>
        <translation>Open the data folder: %1</translation>
    </message>
</context>
<context>
    <name>ModelFixer</name>
    <message>
        <source>The model is busy: fix when the generation has finished.</source>
        <translation>The model is busy: fix when the generation has finished.</translation>
    </message>
    <message>
        <source>Fixing stopped: your text is unchanged.</source>
        <translation>Fixing stopped: your text is unchanged.</translation>
    </message>
    <message>
        <source>Nothing to fix: the checks found nothing.</source>
        <translation>Nothing to fix: the checks found nothing.</translation>
    </message>
    <message>
        <source>The text changed while the model worked: its version was set aside.</source>
        <translation>The text changed while the model worked: its version was set aside.</translation>
    </message>
    <message>
        <source>Fixing failed</source>
        <translation>Fixing failed</translation>
    </message>
    <message>
        <source>Saving failed</source>
        <translation>Saving failed</translation>
    </message>
    <message>
        <source>The fixed text is in place (Ctrl+Z undoes it).</source>
        <translation>The fixed text is in place (Ctrl+Z undoes it).</translation>
    </message>
</context>
<context>
    <name>ModelSettingsForm</name>
    <message>
        <source>No model selected</source>
        <translation>No model selected</translation>
    </message>
    <message>
        <source>Choose a model in the list to see its details and settings.</source>
        <translation>Choose a model in the list to see its details and settings.</translation>
    </message>
    <message>
        <source>Settings for %1</source>
        <translation>Settings for %1</translation>
    </message>
    <message>
        <source>This file cannot be used: %1</source>
        <translation>This file cannot be used: %1</translation>
    </message>
    <message>
        <source>built in</source>
        <translation>built in</translation>
    </message>
    <message>
        <source>in the data folder</source>
        <translation>in the data folder</translation>
    </message>
    <message>
        <source>used where it is</source>
        <translation>used where it is</translation>
    </message>
    <message>
        <source>has its own chat template</source>
        <translation>has its own chat template</translation>
    </message>
    <message>
        <source>no chat template in the file</source>
        <translation>no chat template in the file</translation>
    </message>
    <message>
        <source>%1 · %2 · %3
File: %4</source>
        <translation>%1 · %2 · %3
File: %4</translation>
    </message>
    <message>
        <source>Nothing learnt yet: the engine measures its settings the first time this model loads.</source>
        <translation>Nothing learnt yet: the engine measures its settings the first time this model loads.</translation>
    </message>
    <message>
        <source>Safe mode: off (no crash seen)</source>
        <translation>Safe mode: off (no crash seen)</translation>
    </message>
    <message>
        <source>Measured: %1</source>
        <translation>Measured: %1</translation>
    </message>
    <message>
        <source>Measured: not yet</source>
        <translation>Measured: not yet</translation>
    </message>
    <message>
        <source>Devices (as llama.cpp sees them): %1</source>
        <translation>Devices (as llama.cpp sees them): %1</translation>
    </message>
    <message>
        <source>Context length (tokens)</source>
        <translation>Context length (tokens)</translation>
    </message>
    <message>
        <source>GPU layers</source>
        <translation>GPU layers</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Threads</translation>
    </message>
    <message>
        <source>Flash attention</source>
        <translation>Flash attention</translation>
    </message>
    <message>
        <source>Chat template override</source>
        <translation>Chat template override</translation>
    </message>
    <message>
        <source>Measured on this computer</source>
        <translation>Measured on this computer</translation>
    </message>
    <message>
        <source>llama.cpp decides</source>
        <translation>llama.cpp decides</translation>
    </message>
    <message>
        <source>On</source>
        <translation>On</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Off</translation>
    </message>
    <message>
        <source>Faster on some computers, slower on others: left at &quot;Measured&quot;, Shopscribe times both on this computer and keeps the faster.</source>
        <translation>Faster on some computers, slower on others: left at &quot;Measured&quot;, Shopscribe times both on this computer and keeps the faster.</translation>
    </message>
    <message>
        <source>On this computer</source>
        <translation>On this computer</translation>
    </message>
    <message>
        <source>Measure again</source>
        <translation>Measure again</translation>
    </message>
    <message>
        <source>Time flash attention and thread counts with this model (a few seconds) and keep the fastest.</source>
        <translation>Time flash attention and thread counts with this model (a few seconds) and keep the fastest.</translation>
    </message>
    <message>
        <source>Reset safe mode</source>
        <translation>Reset safe mode</translation>
    </message>
    <message>
        <source>Forget the safe mode and the measured settings: the next start uses the normal settings and checks them again.</source>
        <translation>Forget the safe mode and the measured settings: the next start uses the normal settings and checks them again.</translation>
    </message>
    <message>
        <source>Auto (as many as fit)</source>
        <translation>Auto (as many as fit)</translation>
    </message>
    <message>
        <source>How many layers run on the graphics card: 0 keeps everything on the CPU; Auto puts as many as fit in the GPU&apos;s free memory. If the GPU cannot take them, Shopscribe falls back to the CPU and says why.</source>
        <translation>How many layers run on the graphics card: 0 keeps everything on the CPU; Auto puts as many as fit in the GPU&apos;s free memory. If the GPU cannot take them, Shopscribe falls back to the CPU and says why.</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatic</translation>
    </message>
    <message>
        <source>Empty: use the chat template inside the model file</source>
        <translation>Empty: use the chat template inside the model file</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>Save settings</translation>
    </message>
    <message>
        <source>Reset to defaults</source>
        <translation>Reset to defaults</translation>
    </message>
</context>
<context>
    <name>Models</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Starting…</translation>
    </message>
    <message>
        <source>%1 of %2 · %3 · %4 left</source>
        <translation>%1 of %2 · %3 · %4 left</translation>
    </message>
    <message>
        <source>Connection lost; trying again (attempt %1)…</source>
        <translation>Connection lost; trying again (attempt %1)…</translation>
    </message>
    <message>
        <source>Checking the file against the Hub&apos;s sha256… %1%</source>
        <translation>Checking the file against the Hub&apos;s sha256… %1%</translation>
    </message>
    <message>
        <source>Paused at %1 of %2. Resume continues where it stopped.</source>
        <translation>Paused at %1 of %2. Resume continues where it stopped.</translation>
    </message>
    <message>
        <source>Done and verified: %1 is in your models.</source>
        <translation>Done and verified: %1 is in your models.</translation>
    </message>
</context>
<context>
    <name>ModelsPage</name>
    <message>
        <source>Model %1 downloaded and verified</source>
        <translation>Model %1 downloaded and verified</translation>
    </message>
    <message>
        <source>Downloads (%1)</source>
        <translation>Downloads (%1)</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>Downloads</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Models</translation>
    </message>
    <message>
        <source>The model writes your copy, on this computer. The built-in model works at once; a larger one writes better Chinese and English. Each model shows whether it fits this machine&apos;s memory.</source>
        <translation>The model writes your copy, on this computer. The built-in model works at once; a larger one writes better Chinese and English. Each model shows whether it fits this machine&apos;s memory.</translation>
    </message>
    <message>
        <source>On this computer</source>
        <translation>On this computer</translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation>Catalog</translation>
    </message>
    <message>
        <source>Search Hugging Face</source>
        <translation>Search Hugging Face</translation>
    </message>
</context>
<context>
    <name>OutputsTable</name>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>List</source>
        <translation>List</translation>
    </message>
    <message>
        <source>Add output</source>
        <translation>Add output</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Platform field (limit)</source>
        <translation>Platform field (limit)</translation>
    </message>
    <message>
        <source>Description (中文)</source>
        <translation>Description (中文)</translation>
    </message>
    <message>
        <source>Description (English)</source>
        <translation>Description (English)</translation>
    </message>
</context>
<context>
    <name>Pages</name>
    <message>
        <source>Compose</source>
        <translation>Compose</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>History</source>
        <translation>History</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>Templates</translation>
    </message>
    <message>
        <source>Brands</source>
        <translation>Brands</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Models</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
</context>
<context>
    <name>PromptDialog</name>
    <message>
        <source>The prompt the model reads</source>
        <translation>The prompt the model reads</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>User</source>
        <translation>User</translation>
    </message>
    <message>
        <source>Answer format (JSON schema)</source>
        <translation>Answer format (JSON schema)</translation>
    </message>
</context>
<context>
    <name>PromptPair</name>
    <message>
        <source>System prompt: who the model is and the rules it follows</source>
        <translation>System prompt: who the model is and the rules it follows</translation>
    </message>
    <message>
        <source>User prompt: the request, with {{ product }} and other variables</source>
        <translation>User prompt: the request, with {{ product }} and other variables</translation>
    </message>
</context>
<context>
    <name>ResultCard</name>
    <message>
        <source>Waiting…</source>
        <translation>Waiting…</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>Writing…</translation>
    </message>
    <message>
        <source>Not in Chinese: writing it again in Chinese only…</source>
        <translation>Not in Chinese: writing it again in Chinese only…</translation>
    </message>
    <message>
        <source>Not in English: writing it again in English only…</source>
        <translation>Not in English: writing it again in English only…</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Stopped before it started</source>
        <translation>Stopped before it started</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>stopped</translation>
    </message>
    <message>
        <source>length limit</source>
        <translation>length limit</translation>
    </message>
    <message>
        <source>complete</source>
        <translation>complete</translation>
    </message>
    <message>
        <source>Time to the first token · speed · tokens written · why it stopped</source>
        <translation>Time to the first token · speed · tokens written · why it stopped</translation>
    </message>
    <message>
        <source>First token %1 s · %2 tok/s · %3 tokens · %4</source>
        <translation>First token %1 s · %2 tok/s · %3 tokens · %4</translation>
    </message>
    <message>
        <source>Characters</source>
        <translation>Characters</translation>
    </message>
    <message>
        <source>The text changed: checking again.</source>
        <translation>The text changed: checking again.</translation>
    </message>
    <message>
        <source>Variant %1</source>
        <translation>Variant %1</translation>
    </message>
    <message>
        <source>Copy the text</source>
        <translation>Copy the text</translation>
    </message>
    <message>
        <source>Favourite</source>
        <translation>Favourite</translation>
    </message>
    <message numerus="yes">
        <source>Rate %n star(s)</source>
        <translation>
            <numerusform>Rate %n star</numerusform>
            <numerusform>Rate %n stars</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <source>Job %1 · %2 · %3 of %4 · %5</source>
        <translation>Job %1 · %2 · %3 of %4 · %5</translation>
    </message>
    <message>
        <source>Not exported until you accept it: %1</source>
        <translation>Not exported until you accept it: %1</translation>
    </message>
    <message>
        <source>Saved, but the text does not pass yet: %1</source>
        <translation>Saved, but the text does not pass yet: %1</translation>
    </message>
    <message>
        <source>Saved your edit.</source>
        <translation>Saved your edit.</translation>
    </message>
    <message>
        <source>Export the results</source>
        <translation>Export the results</translation>
    </message>
    <message>
        <source>Spreadsheets (*%1)</source>
        <translation>Spreadsheets (*%1)</translation>
    </message>
    <message>
        <source>Exported %1 of %2 products to %3.</source>
        <translation>Exported %1 of %2 products to %3.</translation>
    </message>
    <message>
        <source>%1 held back (their original text stays): accept them to export them.</source>
        <translation>%1 held back (their original text stays): accept them to export them.</translation>
    </message>
    <message>
        <source>All</source>
        <translation>All</translation>
    </message>
    <message>
        <source>To review</source>
        <translation>To review</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>With findings</source>
        <translation>With findings</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Findings</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>Worst score first</source>
        <translation>Worst score first</translation>
    </message>
    <message>
        <source>File order</source>
        <translation>File order</translation>
    </message>
    <message>
        <source>Shopify CSV (your file, filled in)</source>
        <translation>Shopify CSV (your file, filled in)</translation>
    </message>
    <message>
        <source>CSV · UTF-8</source>
        <translation>CSV · UTF-8</translation>
    </message>
    <message>
        <source>CSV · UTF-8 with BOM (Excel)</source>
        <translation>CSV · UTF-8 with BOM (Excel)</translation>
    </message>
    <message>
        <source>CSV · GB18030 (Chinese Excel)</source>
        <translation>CSV · GB18030 (Chinese Excel)</translation>
    </message>
    <message>
        <source>XLSX</source>
        <translation>XLSX</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Export…</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>the embedded model</source>
        <translation>the embedded model</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Appearance</translation>
    </message>
    <message>
        <source>Default model</source>
        <translation>Default model</translation>
    </message>
    <message>
        <source>Writing</source>
        <translation>Writing</translation>
    </message>
    <message>
        <source>Engines</source>
        <translation>Engines</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Network</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Theme</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Context length (tokens)</source>
        <translation>Context length (tokens)</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Threads</translation>
    </message>
    <message>
        <source>GPU layers</source>
        <translation>GPU layers</translation>
    </message>
    <message>
        <source>Repetition guard</source>
        <translation>Repetition guard</translation>
    </message>
    <message>
        <source>Follow the system (%1)</source>
        <translation>Follow the system (%1)</translation>
    </message>
    <message>
        <source>A new language applies at once, no restart needed.</source>
        <translation>A new language applies at once, no restart needed.</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Follow the system</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Light</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dark</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatic</translation>
    </message>
    <message>
        <source>0 runs on the CPU; Auto puts as many layers on the GPU as fit.</source>
        <translation>0 runs on the CPU; Auto puts as many layers on the GPU as fit.</translation>
    </message>
    <message>
        <source>Auto (as many as fit)</source>
        <translation>Auto (as many as fit)</translation>
    </message>
    <message>
        <source>Save and reload the model</source>
        <translation>Save and reload the model</translation>
    </message>
    <message>
        <source>A longer context lets longer product data in but needs more memory. If the GPU cannot be used, the model runs on the CPU.</source>
        <translation>A longer context lets longer product data in but needs more memory. If the GPU cannot be used, the model runs on the CPU.</translation>
    </message>
    <message>
        <source>Learn from the copy I keep</source>
        <translation>Learn from the copy I keep</translation>
    </message>
    <message>
        <source>Results you favourite, accept or edit for a template and platform are shown to the model as examples (your edited version wins), within a small budget. Nothing is trained and nothing leaves this computer.</source>
        <translation>Results you favourite, accept or edit for a template and platform are shown to the model as examples (your edited version wins), within a small budget. Nothing is trained and nothing leaves this computer.</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Off</translation>
    </message>
    <message>
        <source>llama.cpp&apos;s DRY sampler: the higher, the harder the model is kept from repeating a phrase it has already written. 0 turns it off.</source>
        <translation>llama.cpp&apos;s DRY sampler: the higher, the harder the model is kept from repeating a phrase it has already written. 0 turns it off.</translation>
    </message>
    <message>
        <source>Offline mode</source>
        <translation>Offline mode</translation>
    </message>
    <message>
        <source>Shopscribe never goes online unless you search for or download a model. Offline mode refuses even that.</source>
        <translation>Shopscribe never goes online unless you search for or download a model. Offline mode refuses even that.</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Your history, templates, brands and downloaded models live here.</source>
        <translation>Your history, templates, brands and downloaded models live here.</translation>
    </message>
</context>
<context>
    <name>SetupPanel</name>
    <message>
        <source>No brand</source>
        <translation>No brand</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Default</translation>
    </message>
    <message>
        <source>The platform&apos;s language</source>
        <translation>The platform&apos;s language</translation>
    </message>
    <message>
        <source>Any platform</source>
        <translation>Any platform</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>%1 of %2 finished · %3 failed</source>
        <translation>%1 of %2 finished · %3 failed</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>about %1 left</translation>
    </message>
    <message>
        <source>Content type</source>
        <translation>Content type</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Platform</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>Template</translation>
    </message>
    <message>
        <source>Brand</source>
        <translation>Brand</translation>
    </message>
    <message>
        <source>Tone</source>
        <translation>Tone</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Answers per product</source>
        <translation>Answers per product</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>Max tokens</translation>
    </message>
    <message>
        <source>Best of (keep the best-scoring)</source>
        <translation>Best of (keep the best-scoring)</translation>
    </message>
    <message>
        <source>Must mention</source>
        <translation>Must mention</translation>
    </message>
    <message>
        <source>Key facts left out</source>
        <translation>Key facts left out</translation>
    </message>
    <message>
        <source>Template default</source>
        <translation>Template default</translation>
    </message>
    <message>
        <source>Several answers per product: the first valid one is used.</source>
        <translation>Several answers per product: the first valid one is used.</translation>
    </message>
    <message>
        <source>Write this many candidates for each answer in one pass and keep the one with the best quality score. Each extra candidate adds work.</source>
        <translation>Write this many candidates for each answer in one pass and keep the one with the best quality score. Each extra candidate adds work.</translation>
    </message>
    <message>
        <source>e.g. free shipping, 2-year warranty</source>
        <translation>e.g. free shipping, 2-year warranty</translation>
    </message>
    <message>
        <source>Facts every product&apos;s copy must carry, separated by commas. An answer that leaves one out is flagged and scores lower.</source>
        <translation>Facts every product&apos;s copy must carry, separated by commas. An answer that leaves one out is flagged and scores lower.</translation>
    </message>
    <message>
        <source>Add them at the end, a line each</source>
        <translation>Add them at the end, a line each</translation>
    </message>
    <message>
        <source>Small models often leave a product&apos;s sizes, durations or features out. With this on, each one an answer leaves out is added at the end of its main text, in the product&apos;s own words.</source>
        <translation>Small models often leave a product&apos;s sizes, durations or features out. With this on, each one an answer leaves out is added at the end of its main text, in the product&apos;s own words.</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>Cancel job</translation>
    </message>
</context>
<context>
    <name>TemplateEditor</name>
    <message>
        <source>Any platform</source>
        <translation>Any platform</translation>
    </message>
    <message>
        <source>Name (中文 / English)</source>
        <translation>Name (中文 / English)</translation>
    </message>
    <message>
        <source>Content type, platform</source>
        <translation>Content type, platform</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>Name in Chinese</source>
        <translation>Name in Chinese</translation>
    </message>
    <message>
        <source>Name in English</source>
        <translation>Name in English</translation>
    </message>
    <message>
        <source>Prompts · 中文</source>
        <translation>Prompts · 中文</translation>
    </message>
    <message>
        <source>Prompts · English</source>
        <translation>Prompts · English</translation>
    </message>
    <message>
        <source>Variables</source>
        <translation>Variables</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>Outputs</translation>
    </message>
</context>
<context>
    <name>TemplateList</name>
    <message>
        <source>Any platform</source>
        <translation>Any platform</translation>
    </message>
    <message>
        <source>Built-in</source>
        <translation>Built-in</translation>
    </message>
    <message>
        <source>Yours</source>
        <translation>Yours</translation>
    </message>
    <message>
        <source> · hidden</source>
        <translation> · hidden</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>Template</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
</context>
<context>
    <name>TemplatePreview</name>
    <message>
        <source>The template is valid. The preview uses the sample values.</source>
        <translation>The template is valid. The preview uses the sample values.</translation>
    </message>
    <message>
        <source>Prompt preview</source>
        <translation>Prompt preview</translation>
    </message>
    <message>
        <source>The prompt the model reads, rendered with the sample values</source>
        <translation>The prompt the model reads, rendered with the sample values</translation>
    </message>
    <message>
        <source>Change the sample values in the Variables tab to see the prompt with other products. Variables: {{ product }} lists every product field; {{ rules }} adds the honesty rules; any variable name inserts its value.</source>
        <translation>Change the sample values in the Variables tab to see the prompt with other products. Variables: {{ product }} lists every product field; {{ rules }} adds the honesty rules; any variable name inserts its value.</translation>
    </message>
</context>
<context>
    <name>TemplateTables</name>
    <message>
        <source>Add</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
</context>
<context>
    <name>TemplatesPage</name>
    <message>
        <source>Unsaved changes</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>Discard your changes to this template?</source>
        <translation>Discard your changes to this template?</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Discard</translation>
    </message>
    <message>
        <source>Show in lists</source>
        <translation>Show in lists</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Hide</translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation>Saved “%1”.</translation>
    </message>
    <message>
        <source>Duplicated as “%1”: edit it and save.</source>
        <translation>Duplicated as “%1”: edit it and save.</translation>
    </message>
    <message>
        <source>Delete template</source>
        <translation>Delete template</translation>
    </message>
    <message>
        <source>Delete “%1”? This cannot be undone.</source>
        <translation>Delete “%1”? This cannot be undone.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Import templates</source>
        <translation>Import templates</translation>
    </message>
    <message>
        <source>Template files (*.json)</source>
        <translation>Template files (*.json)</translation>
    </message>
    <message>
        <source>Imported %1 template(s).</source>
        <translation>Imported %1 template(s).</translation>
    </message>
    <message>
        <source>Export template</source>
        <translation>Export template</translation>
    </message>
    <message>
        <source>Exported to %1.</source>
        <translation>Exported to %1.</translation>
    </message>
    <message>
        <source>A template has unsaved changes. Close anyway?</source>
        <translation>A template has unsaved changes. Close anyway?</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>Templates</translation>
    </message>
    <message>
        <source>A template is the prompt behind each kind of copy. Built-in templates are read-only: duplicate one to change it. The preview shows what the model reads.</source>
        <translation>A template is the prompt behind each kind of copy. Built-in templates are read-only: duplicate one to change it. The preview shows what the model reads.</translation>
    </message>
    <message>
        <source>Show hidden templates</source>
        <translation>Show hidden templates</translation>
    </message>
    <message>
        <source>New</source>
        <translation>New</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplicate</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Import…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>This built-in template is read-only. Duplicate it to make your own version to edit.</source>
        <translation>This built-in template is read-only. Duplicate it to make your own version to edit.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Revert</translation>
    </message>
</context>
<context>
    <name>VariablesTable</name>
    <message>
        <source>Add variable</source>
        <translation>Add variable</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Label (中文)</source>
        <translation>Label (中文)</translation>
    </message>
    <message>
        <source>Label (English)</source>
        <translation>Label (English)</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>Required</translation>
    </message>
    <message>
        <source>Sample value (for the preview)</source>
        <translation>Sample value (for the preview)</translation>
    </message>
</context>
<context>
    <name>Work</name>
    <message>
        <source>This did not work</source>
        <translation>This did not work</translation>
    </message>
</context>
</TS>
