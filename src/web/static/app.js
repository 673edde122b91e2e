// The chat box: posts a question to /api/chat and renders the streamed answer and the tools the agent called.
'use strict';

const form = document.getElementById('chat-form');
const input = document.getElementById('chat-question');
const log = document.getElementById('chat-log');
const errorBox = document.getElementById('chat-error');
/** Earlier turns, sent with each question so that "and on Friday?" follows up. */
const history = [];

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = false;
}

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function describeTool(t) {
  return `${t.name}(${JSON.stringify(t.arguments)}) ${t.ms} ms${t.error ? ` — error: ${t.error}` : ''}`;
}

/** Reads server-sent events from a fetch response body, calling onEvent(name, data) for each. */
async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const name = /^event: (.*)$/m.exec(block);
      const data = /^data: (.*)$/m.exec(block);
      if (name && data) onEvent(name[1], JSON.parse(data[1]));
    }
  }
}

async function ask(question) {
  errorBox.hidden = true;
  const item = element('li');
  const answer = element('div', 'a');
  const tools = element('ul', 'tools');
  item.append(element('div', 'q', question), tools, answer);
  log.prepend(item);
  answer.textContent = '…';
  let text = '';
  const response = await fetch('/api/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ question, history: history.slice(-10) }),
  });
  if (!response.ok) {
    const body = await response.json().catch(() => ({ error: response.statusText }));
    answer.textContent = '';
    throw new Error(body.error || `the server answered ${response.status}`);
  }
  await readEvents(response, (name, data) => {
    if (name === 'tool') tools.append(element('li', '', describeTool(data)));
    else if (name === 'text') answer.textContent = text += data.delta;
    else if (name === 'done') {
      answer.textContent = data.answer;
      history.push({ question, answer: data.answer });
    } else if (name === 'error') throw new Error(data.message);
  });
}

if (form) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const question = input.value.trim();
    if (!question) return;
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      await ask(question);
      input.value = '';
    } catch (e) {
      showError(e instanceof Error ? e.message : String(e));
    } finally {
      button.disabled = false;
      input.focus();
    }
  });
}
