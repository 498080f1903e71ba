<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
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
        <source>Length</source>
        <translation>Length</translation>
    </message>
    <message>
        <source>Output language</source>
        <translation>Output language</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>Variants</translation>
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
    <name>EngineWorker</name>
    <message>
        <source>No model is loaded. Choose a model on the Models page.</source>
        <translation>No model is loaded. Choose a model on the Models page.</translation>
    </message>
</context>
<context>
    <name>FindingsList</name>
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
            <numerusform>%n result</numerusform><numerusform>%n results</numerusform></translation>
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
            <numerusform>%n selected</numerusform><numerusform>%n selected</numerusform></translation>
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
            <numerusform>Delete %n result from the history? This cannot be undone.</numerusform><numerusform>Delete %n results from the history? This cannot be undone.</numerusform></translation>
    </message>
    <message>
        <source>Export history</source>
        <translation>Export history</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n result(s) to %1</source>
        <translation>
            <numerusform>Exported %n result to %1</numerusform><numerusform>Exported %n results to %1</numerusform></translation>
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
    <name>MainWindow</name>
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
        <source>Writing a whole product catalog at once is not in the window yet. Meanwhile the command line does it: shopscribe batch products.csv --type product-description --out results.csv. In the window, write one product at a time on the Compose page.</source>
        <translation>Writing a whole product catalog at once is not in the window yet. Meanwhile the command line does it: shopscribe batch products.csv --type product-description --out results.csv. In the window, write one product at a time on the Compose page.</translation>
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
        <source>Editing templates in the window is not built yet. The built-in templates already work: pick a content type and platform on the Compose page; "Show prompt" there shows the prompt they build.</source>
        <translation>Editing templates in the window is not built yet. The built-in templates already work: pick a content type and platform on the Compose page; "Show prompt" there shows the prompt they build.</translation>
    </message>
    <message>
        <source>Brands</source>
        <translation>Brands</translation>
    </message>
    <message>
        <source>Managing brand profiles in the window is not built yet. Meanwhile use the command line: shopscribe brands add NAME. Saved brands appear in the Brand list on the Compose page.</source>
        <translation>Managing brand profiles in the window is not built yet. Meanwhile use the command line: shopscribe brands add NAME. Saved brands appear in the Brand list on the Compose page.</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Models</translation>
    </message>
    <message>
        <source>Downloading and switching models in the window is not built yet. The embedded model works now; context length, threads and GPU layers are on the Settings page. To add a model, use shopscribe models import PATH.</source>
        <translation>Downloading and switching models in the window is not built yet. The embedded model works now; context length, threads and GPU layers are on the Settings page. To add a model, use shopscribe models import PATH.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation>Open %1</translation>
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
            <numerusform>Rate %n star</numerusform><numerusform>Rate %n stars</numerusform></translation>
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
        <source>0 runs on the CPU; -1 puts every layer on the GPU.</source>
        <translation>0 runs on the CPU; -1 puts every layer on the GPU.</translation>
    </message>
    <message>
        <source>All layers</source>
        <translation>All layers</translation>
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
</TS>