// The demo chat page: Amplify JS v6 exactly as a client developer uses it, no framework.
// Configuration comes from /amplify-config.json, the file the emulator writes for any client.
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, getCurrentUser, signIn, signOut } from 'aws-amplify/auth';
import { generateClient } from 'aws-amplify/api';
import { Hub } from 'aws-amplify/utils';

const MESSAGE_FIELDS = `roomId messageId authorId content type createdAt isEdited isDeleted
  reactions { emoji count userIds }`;
const TYPING_FIELDS = 'roomId userId isTyping at';
const REACTIONS = ['👍', '❤️', '😂', '🎉'];
const TYPING_SEND_INTERVAL_MS = 2000;
const TYPING_SHOWN_MS = 5000;

const Q = {
  myRooms: `query { myRooms(limit: 100) { items { room { roomId name type memberCount } role } } }`,
  publicRooms: `query { listPublicRooms(limit: 100) { items { roomId name memberCount } } }`,
  createRoom: `mutation($input: CreateRoomInput!) { createRoom(input: $input) { roomId name } }`,
  joinRoom: `mutation($roomId: ID!) { joinRoom(roomId: $roomId) { roomId userId role } }`,
  messages: `query($roomId: ID!) { listMessages(roomId: $roomId, limit: 50) { items { ${MESSAGE_FIELDS} } } }`,
  send: `mutation($input: SendMessageInput!) { sendMessage(input: $input) { ${MESSAGE_FIELDS} } }`,
  addReaction: `mutation($roomId: ID!, $messageId: ID!, $emoji: String!) {
    addReaction(roomId: $roomId, messageId: $messageId, emoji: $emoji) { ${MESSAGE_FIELDS} } }`,
  removeReaction: `mutation($roomId: ID!, $messageId: ID!, $emoji: String!) {
    removeReaction(roomId: $roomId, messageId: $messageId, emoji: $emoji) { ${MESSAGE_FIELDS} } }`,
  typing: `mutation($roomId: ID!, $isTyping: Boolean!) {
    sendTyping(roomId: $roomId, isTyping: $isTyping) { ${TYPING_FIELDS} } }`,
  onMessageAdded: `subscription($roomId: ID!) { onMessageAdded(roomId: $roomId) { ${MESSAGE_FIELDS} } }`,
  onMessageUpdated: `subscription($roomId: ID!) { onMessageUpdated(roomId: $roomId) { ${MESSAGE_FIELDS} } }`,
  onTyping: `subscription($roomId: ID!) { onTyping(roomId: $roomId) { ${TYPING_FIELDS} } }`,
};

const $ = (id) => document.getElementById(id);
const client = generateClient();
const state = { me: null, room: null, subscriptions: [], acks: 0, typers: new Map(), lastTypingSent: 0 };

function status(text) {
  $('status').textContent = text || '';
}

function errorText(error) {
  const first = error?.errors?.[0];
  if (first) return `${first.errorType ? `${first.errorType}: ` : ''}${first.message}`;
  return error?.message || String(error);
}

async function call(query, variables) {
  try {
    const result = await client.graphql({ query, variables });
    return result.data;
  } catch (error) {
    status(errorText(error));
    throw error;
  }
}

function shortName(userId) {
  return userId === state.me?.sub ? 'you' : userId.slice(0, 8);
}

async function showSignedIn() {
  const session = await fetchAuthSession();
  const claims = session.tokens?.idToken?.payload ?? {};
  state.me = { sub: claims.sub, email: claims.email };
  $('whoami').textContent = state.me.email || state.me.sub;
  $('sign-in').hidden = true;
  $('sign-out').hidden = false;
  $('chat').hidden = false;
  await refreshRooms();
}

function showSignedOut() {
  state.me = null;
  leaveCurrentRoom();
  $('whoami').textContent = '';
  $('sign-out').hidden = true;
  $('chat').hidden = true;
  $('room').hidden = true;
  $('sign-in').hidden = false;
}

function roomItem(room, action) {
  const item = document.createElement('li');
  item.dataset.roomId = room.roomId;
  if (state.room?.roomId === room.roomId) item.classList.add('current');
  const link = document.createElement('a');
  link.textContent = room.name;
  link.title = `${room.memberCount} member(s)`;
  item.append(link);
  if (action) item.append(action);
  return item;
}

async function refreshRooms() {
  const [mine, open] = await Promise.all([call(Q.myRooms), call(Q.publicRooms)]);
  const joined = new Set(mine.myRooms.items.map((entry) => entry.room.roomId));
  $('my-rooms').replaceChildren(
    ...mine.myRooms.items.map(({ room }) => {
      const item = roomItem(room);
      item.querySelector('a').onclick = () => openRoom(room);
      return item;
    }),
  );
  $('public-rooms').replaceChildren(
    ...open.listPublicRooms.items
      .filter((room) => !joined.has(room.roomId))
      .map((room) => {
        const join = document.createElement('button');
        join.textContent = 'Join';
        join.className = 'join';
        join.onclick = async () => {
          await call(Q.joinRoom, { roomId: room.roomId });
          await refreshRooms();
          await openRoom(room);
        };
        return roomItem(room, join);
      }),
  );
}

// The room is live once AppSync acknowledged each of its subscriptions (start_ack).
Hub.listen('api', ({ payload }) => {
  if (payload.event === 'Subscription ack' && state.room) {
    state.acks += 1;
    const live = state.acks >= state.subscriptions.length;
    $('room').dataset.live = String(live);
    $('live').textContent = live ? '● live' : '○ connecting';
  }
  if (payload.event === 'ConnectionStateChange' && payload.data?.connectionState !== 'Connected') {
    $('live').textContent = `○ ${payload.data?.connectionState ?? ''}`;
  }
});

function leaveCurrentRoom() {
  for (const subscription of state.subscriptions) subscription.unsubscribe();
  state.subscriptions = [];
  state.acks = 0;
  $('room').dataset.live = 'false';
  $('room').dataset.history = 'loading';
  state.typers.clear();
  state.room = null;
}

function subscribe(query, roomId, onData) {
  const subscription = client.graphql({ query, variables: { roomId } }).subscribe({
    next: ({ data }) => onData(data),
    error: (error) => status(`subscription failed: ${errorText(error)}`),
  });
  state.subscriptions.push(subscription);
}

async function openRoom(room) {
  leaveCurrentRoom();
  state.room = room;
  $('room').hidden = false;
  $('room-name').textContent = room.name;
  $('typing').textContent = '';
  for (const item of document.querySelectorAll('aside li')) {
    item.classList.toggle('current', item.dataset.roomId === room.roomId);
  }
  $('messages').replaceChildren();
  // Subscribe first so nothing sent meanwhile is missed, then load the history behind
  // whatever arrived live (a live copy is never older than the history's).
  subscribe(Q.onMessageAdded, room.roomId, (data) => renderMessage(data.onMessageAdded));
  subscribe(Q.onMessageUpdated, room.roomId, (data) => renderMessage(data.onMessageUpdated));
  subscribe(Q.onTyping, room.roomId, (data) => noteTyping(data.onTyping));
  const history = await call(Q.messages, { roomId: room.roomId });
  if (state.room?.roomId !== room.roomId) return;
  const older = [...history.listMessages.items]
    .reverse()
    .filter((message) => !findMessage(message.messageId))
    .map((message) => fillMessage(newMessageItem(message), message));
  $('messages').prepend(...older);
  $('room').dataset.history = 'loaded';
}

function findMessage(messageId) {
  return $('messages').querySelector(`[data-message-id="${CSS.escape(messageId)}"]`);
}

function newMessageItem(message) {
  const item = document.createElement('li');
  item.className = 'message';
  item.dataset.messageId = message.messageId;
  return item;
}

function renderMessage(message) {
  if (!message || message.roomId !== state.room?.roomId) return;
  const existing = findMessage(message.messageId);
  const item = fillMessage(existing || newMessageItem(message), message);
  if (!existing) {
    $('messages').append(item);
    item.scrollIntoView({ block: 'nearest' });
    noteTyping({ userId: message.authorId, isTyping: false });
  }
}

function fillMessage(item, message) {
  const author = document.createElement('span');
  author.className = 'author';
  author.textContent = shortName(message.authorId);
  const content = document.createElement('span');
  content.className = 'content';
  content.textContent = message.isDeleted ? '(deleted)' : message.content;
  const time = document.createElement('span');
  time.className = 'time';
  time.textContent = new Date(message.createdAt).toLocaleTimeString();
  const reactions = document.createElement('div');
  reactions.className = 'reactions';
  const counts = new Map((message.reactions || []).map((r) => [r.emoji, r]));
  for (const emoji of REACTIONS) {
    const reaction = counts.get(emoji);
    const mine = reaction?.userIds.includes(state.me?.sub);
    const button = document.createElement('button');
    button.className = mine ? 'reaction mine' : 'reaction';
    button.dataset.emoji = emoji;
    button.textContent = reaction ? `${emoji} ${reaction.count}` : emoji;
    button.onclick = () =>
      call(mine ? Q.removeReaction : Q.addReaction, {
        roomId: message.roomId,
        messageId: message.messageId,
        emoji,
      }).then((data) => renderMessage(data.addReaction || data.removeReaction));
    reactions.append(button);
  }
  item.replaceChildren(author, content, time, reactions);
  return item;
}

function noteTyping(event) {
  if (!event || event.userId === state.me?.sub) return;
  if (event.isTyping) state.typers.set(event.userId, Date.now() + TYPING_SHOWN_MS);
  else state.typers.delete(event.userId);
  renderTyping();
}

function renderTyping() {
  const now = Date.now();
  for (const [userId, until] of state.typers) if (until <= now) state.typers.delete(userId);
  const names = [...state.typers.keys()].map(shortName);
  $('typing').textContent = names.length
    ? `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} typing…`
    : '';
}

setInterval(renderTyping, 1000);

$('sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  status('');
  try {
    const { isSignedIn, nextStep } = await signIn({
      username: $('email').value.trim(),
      password: $('password').value,
    });
    if (!isSignedIn) {
      status(`This demo page cannot answer the sign-in step ${nextStep.signInStep}.`);
      return;
    }
    await showSignedIn();
  } catch (error) {
    status(`Sign-in failed: ${errorText(error)}`);
  }
});

$('sign-out').addEventListener('click', async () => {
  await signOut();
  showSignedOut();
});

$('new-room').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = $('new-room-name').value.trim();
  const { createRoom } = await call(Q.createRoom, { input: { name, type: 'PUBLIC' } });
  $('new-room-name').value = '';
  await refreshRooms();
  await openRoom({ ...createRoom, memberCount: 1 });
});

$('message').addEventListener('input', () => {
  if (!state.room || Date.now() - state.lastTypingSent < TYPING_SEND_INTERVAL_MS) return;
  state.lastTypingSent = Date.now();
  call(Q.typing, { roomId: state.room.roomId, isTyping: true }).catch(() => {});
});

$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const content = $('message').value;
  if (!content.trim() || !state.room) return;
  $('message').value = '';
  state.lastTypingSent = 0;
  const { sendMessage } = await call(Q.send, {
    input: { roomId: state.room.roomId, content, clientMessageId: crypto.randomUUID() },
  });
  renderMessage(sendMessage);
});

// What the emulator's SNS accepted for devices (emulator/push_sink.py); a deployed
// stack has no such endpoint, so a failure just leaves the list empty.
const PUSHES_SHOWN = 5;
const PUSH_POLL_MS = 3000;

async function refreshPushes() {
  try {
    const response = await fetch('/_emulator/push', { cache: 'no-store' });
    if (!response.ok) return;
    const { deliveries } = await response.json();
    const list = $('pushes');
    list.replaceChildren(
      ...deliveries.slice(-PUSHES_SHOWN).reverse().map((push) => {
        const note = push.payload?.notification ?? push.payload?.aps?.alert ?? {};
        const item = document.createElement('li');
        item.textContent = `${push.platform}: ${note.title ?? ''} — ${note.body ?? ''}`;
        return item;
      }),
    );
  } catch {
    // the sink is a local convenience; nothing to report
  }
}

setInterval(() => {
  if (state.me) refreshPushes();
}, PUSH_POLL_MS);

async function start() {
  const response = await fetch('/amplify-config.json', { cache: 'no-store' });
  Amplify.configure(await response.json());
  try {
    await getCurrentUser();
    await showSignedIn();
  } catch {
    showSignedOut();
  }
  document.body.dataset.ready = 'true';
}

start().catch((error) => status(`The page could not start: ${errorText(error)}`));
