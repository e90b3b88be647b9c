// The demo chat page: Amplify JS v6 exactly as a client developer uses it, no framework.
// Configuration comes from /amplify-config.json, the file the emulator writes for any client.
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, getCurrentUser, signIn, signOut } from 'aws-amplify/auth';
import { generateClient } from 'aws-amplify/api';
import { Hub } from 'aws-amplify/utils';

const PROFILE_FIELDS = 'userId displayName avatarUploadId avatarThumbnailUrl';
const ATTACHMENT_FIELDS = 'attachmentId fileName contentType size status url thumbnailUrl rejectedReason';
const MESSAGE_FIELDS = `roomId messageId authorId content type createdAt isEdited isDeleted
  reactions { emoji count userIds }
  author { ${PROFILE_FIELDS} }
  attachments { ${ATTACHMENT_FIELDS} }`;
const TYPING_FIELDS = 'roomId userId isTyping at';
const REACTIONS = ['👍', '❤️', '😂', '🎉'];
const TYPING_SEND_INTERVAL_MS = 2000;
const TYPING_SHOWN_MS = 5000;
// How often and how many times the page asks for an avatar's check (getUpload) after the
// upload: a bound, so a check that never ends becomes a message instead of a hang.
const CHECK_POLL_MS = 500;
const CHECK_POLLS = 120;

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
  me: `query { me { ${PROFILE_FIELDS} } }`,
  getUsers: `query($ids: [ID!]!) { getUsers(userIds: $ids) { ${PROFILE_FIELDS} } }`,
  getMessage: `query($roomId: ID!, $messageId: ID!) {
    getMessage(roomId: $roomId, messageId: $messageId) { ${MESSAGE_FIELDS} } }`,
  createUpload: `mutation($input: CreateUploadInput!) { createUpload(input: $input) { uploadId url fields } }`,
  getUpload: `query($uploadId: ID!) { getUpload(uploadId: $uploadId) { uploadId status rejectedReason } }`,
  updateProfile: `mutation($input: UpdateProfileInput!) {
    updateProfile(input: $input) { ${PROFILE_FIELDS} } }`,
};

const $ = (id) => document.getElementById(id);
const client = generateClient();
const state = {
  me: null,
  room: null,
  subscriptions: [],
  acks: 0,
  typers: new Map(),
  lastTypingSent: 0,
  messages: new Map(), // messageId -> the latest copy seen (history, live events, answers)
  profiles: new Map(), // userId -> { userId, displayName, avatarThumbnailUrl }
  askedProfiles: new Set(),
};

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

// A write that raced a concurrent change (an attachment whose check finished between the
// send's read and its write) is refused whole with a Conflict that says "retry"; sending
// it again is safe, and the same clientMessageId keeps it from being sent twice.
const RETRY_ATTEMPTS = 5;
const RETRY_PAUSE_MS = 300;

function asksToRetry(error) {
  const first = error?.errors?.[0];
  return first?.errorType === 'Conflict' && /retry$/.test(first.message || '');
}

async function callRetrying(query, variables) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const result = await client.graphql({ query, variables });
      return result.data;
    } catch (error) {
      if (attempt >= RETRY_ATTEMPTS || !asksToRetry(error)) {
        status(errorText(error));
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS * attempt));
    }
  }
}

function shortName(userId) {
  if (userId === state.me?.sub) return 'you';
  return state.profiles.get(userId)?.displayName || userId.slice(0, 8);
}

function initials(name) {
  const words = String(name || '?').trim().split(/\s+/).filter(Boolean);
  const first = (word) => Array.from(word || '?')[0]; // a whole code point, emoji included
  const letters = words.length > 1 ? first(words[0]) + first(words[1]) : first(words[0]);
  return letters.toUpperCase();
}

// A user's avatar: the thumbnail when they have one (a presigned URL that lives 15 minutes),
// their initials otherwise or when the image cannot be loaded.
function avatarElement(userId, profile, box = document.createElement('span')) {
  const name = profile?.displayName || userId || '?';
  box.className = 'avatar';
  box.title = name;
  const url = profile?.avatarThumbnailUrl;
  const showInitials = () => {
    box.classList.add('initials');
    box.replaceChildren(document.createTextNode(initials(name)));
  };
  if (!url) {
    showInitials();
    return box;
  }
  const image = document.createElement('img');
  image.alt = '';
  image.onerror = showInitials;
  image.src = url;
  box.replaceChildren(image);
  return box;
}

function showMe(profile) {
  if (!profile) return;
  learnProfile(profile);
  avatarElement(profile.userId, profile, $('my-avatar'));
  $('my-avatar').hidden = false;
}

// The newest copy of a profile wins; a changed name or avatar redraws that user's messages.
function learnProfile(profile) {
  if (!profile) return;
  const known = state.profiles.get(profile.userId);
  state.profiles.set(profile.userId, profile);
  if (known && (known.avatarUploadId !== profile.avatarUploadId || known.displayName !== profile.displayName)) {
    rerenderAuthor(profile.userId);
  }
}

// Profiles of authors whose messages came without one (sent by a client that did not
// select `author`): asked once per user, then their messages are drawn again.
function ensureProfile(userId) {
  if (!userId || state.profiles.has(userId) || state.askedProfiles.has(userId)) return;
  state.askedProfiles.add(userId);
  call(Q.getUsers, { ids: [userId] })
    .then(({ getUsers }) => {
      if (getUsers[0]) {
        state.profiles.set(userId, getUsers[0]);
        rerenderAuthor(userId);
      }
    })
    .catch(() => {});
}

function rerenderAuthor(userId) {
  for (const item of document.querySelectorAll(`#messages [data-author-id="${CSS.escape(userId)}"]`)) {
    const message = state.messages.get(item.dataset.messageId);
    if (message) fillMessage(item, message);
  }
}

// A file to S3 through createUpload's presigned POST, as any browser client sends it: the
// form's fields first, the file last. Returns the uploadId.
async function upload(file, purpose, roomId) {
  const input = {
    fileName: file.name || 'file',
    contentType: file.type || 'application/octet-stream',
    size: file.size,
    purpose,
  };
  if (roomId) input.roomId = roomId;
  const { createUpload } = await call(Q.createUpload, { input });
  const form = new FormData();
  for (const [name, value] of Object.entries(JSON.parse(createUpload.fields))) form.append(name, value);
  form.append('file', file);
  const answer = await fetch(createUpload.url, { method: 'POST', body: form });
  if (!answer.ok) {
    const code = /<Code>([^<]+)<\/Code>/.exec(await answer.text())?.[1];
    throw new Error(`S3 refused the file: ${code || answer.status}`);
  }
  return createUpload.uploadId;
}

// The check of an upload's bytes runs after S3 stored it; its verdict, READY or REJECTED.
async function verdictOf(uploadId) {
  for (let poll = 0; poll < CHECK_POLLS; poll += 1) {
    const { getUpload } = await call(Q.getUpload, { uploadId });
    if (getUpload && getUpload.status !== 'PENDING') return getUpload;
    await new Promise((resolve) => setTimeout(resolve, CHECK_POLL_MS));
  }
  throw new Error('the file check did not finish; try again');
}

async function showSignedIn() {
  const session = await fetchAuthSession();
  const claims = session.tokens?.idToken?.payload ?? {};
  state.me = { sub: claims.sub, email: claims.email };
  $('whoami').textContent = state.me.email || state.me.sub;
  $('sign-in').hidden = true;
  $('sign-out').hidden = false;
  $('set-avatar').hidden = false;
  $('chat').hidden = false;
  const [{ me }] = await Promise.all([call(Q.me), refreshRooms()]);
  showMe(me);
}

function showSignedOut() {
  state.me = null;
  leaveCurrentRoom();
  $('whoami').textContent = '';
  $('my-avatar').hidden = true;
  $('set-avatar').hidden = true;
  state.profiles.clear();
  state.askedProfiles.clear();
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
  state.messages.clear();
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
    .map((message) => fillMessage(newMessageItem(message), remember(message)));
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

// A message as last seen: an event from a mutation that did not select `author` (the file
// check's refreshAttachments) keeps the author already known.
function remember(message) {
  const known = state.messages.get(message.messageId);
  const merged = { ...known, ...message, author: message.author ?? known?.author ?? null };
  state.messages.set(merged.messageId, merged);
  if (message.author) learnProfile(message.author);
  return merged;
}

function renderMessage(update) {
  if (!update || update.roomId !== state.room?.roomId) return;
  const message = remember(update);
  const existing = findMessage(message.messageId);
  const item = fillMessage(existing || newMessageItem(message), message);
  if (!existing) {
    $('messages').append(item);
    item.scrollIntoView({ block: 'nearest' });
    noteTyping({ userId: message.authorId, isTyping: false });
  }
}

function fillMessage(item, message) {
  item.dataset.authorId = message.authorId;
  const profile = state.profiles.get(message.authorId) || message.author;
  if (!profile) ensureProfile(message.authorId);
  const avatar = avatarElement(message.authorId, profile);
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
  const attachments = document.createElement('div');
  attachments.className = 'attachments';
  const files = message.isDeleted ? [] : message.attachments || [];
  attachments.append(...files.map((attachment) => attachmentElement(message, attachment)));
  const body = document.createElement('div');
  body.className = 'body';
  body.append(author, content, time, attachments, reactions);
  item.replaceChildren(avatar, body);
  return item;
}

// READY: the image's thumbnail (or the file's name), linked to the file; otherwise a badge,
// PENDING while the bytes are checked, REJECTED with the reason as its title.
function attachmentElement(message, attachment) {
  const box = document.createElement('div');
  box.className = 'attachment';
  box.dataset.attachmentId = attachment.attachmentId;
  box.dataset.status = attachment.status;
  if (attachment.status === 'READY' && attachment.url) {
    const link = document.createElement('a');
    link.href = attachment.url;
    link.target = '_blank';
    link.rel = 'noopener';
    if (attachment.thumbnailUrl) {
      const image = document.createElement('img');
      image.className = 'thumbnail';
      image.alt = attachment.fileName;
      image.src = attachment.thumbnailUrl;
      link.append(image);
    } else {
      link.textContent = `${attachment.fileName} (${attachment.size} bytes)`;
    }
    box.append(link);
    return box;
  }
  if (attachment.status === 'READY') refetchUrls(message);
  const badge = document.createElement('span');
  badge.className = `badge ${attachment.status.toLowerCase()}`;
  badge.textContent = attachment.status;
  if (attachment.rejectedReason) badge.title = attachment.rejectedReason;
  const name = document.createElement('span');
  name.className = 'file-name';
  name.textContent = attachment.fileName;
  box.append(badge, name);
  return box;
}

// An event that named a READY file without its URL (the mutation did not select it): the
// message is asked for once more, with URLs signed for this reader.
const refetching = new Set();
function refetchUrls(message) {
  if (refetching.has(message.messageId)) return;
  refetching.add(message.messageId);
  call(Q.getMessage, { roomId: message.roomId, messageId: message.messageId })
    .then(({ getMessage }) => renderMessage(getMessage))
    .catch(() => {})
    .finally(() => refetching.delete(message.messageId));
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

$('attachment-file').addEventListener('change', () => {
  const file = $('attachment-file').files[0];
  $('attached').textContent = file ? `Attached: ${file.name} (${file.size} bytes)` : '';
});

$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = $('attachment-file').files[0];
  const typed = $('message').value;
  const content = typed.trim() ? typed : file?.name || '';
  if (!content.trim() || !state.room) return;
  const roomId = state.room.roomId;
  $('send').disabled = true;
  try {
    const attachments = [];
    if (file) {
      status(`Uploading ${file.name}…`);
      attachments.push(await upload(file, 'MESSAGE_ATTACHMENT', roomId));
      status('');
    }
    $('message').value = '';
    $('attachment-file').value = '';
    $('attached').textContent = '';
    state.lastTypingSent = 0;
    const { sendMessage } = await callRetrying(Q.send, {
      input: { roomId, content, attachments, clientMessageId: crypto.randomUUID() },
    });
    renderMessage(sendMessage);
  } catch (error) {
    status(`The message was not sent: ${errorText(error)}`);
  } finally {
    $('send').disabled = false;
  }
});

$('avatar-file').addEventListener('change', async () => {
  const file = $('avatar-file').files[0];
  $('avatar-file').value = '';
  if (!file) return;
  $('set-avatar').dataset.state = 'uploading';
  status(`Uploading ${file.name} as your avatar…`);
  try {
    const uploadId = await upload(file, 'USER_AVATAR');
    const verdict = await verdictOf(uploadId);
    if (verdict.status === 'REJECTED') {
      status(`Your avatar was rejected: ${verdict.rejectedReason}`);
      return;
    }
    const { updateProfile } = await callRetrying(Q.updateProfile, {
      input: { avatarUploadId: uploadId },
    });
    showMe(updateProfile);
    status('');
  } catch (error) {
    status(`Your avatar was not set: ${errorText(error)}`);
  } finally {
    $('set-avatar').dataset.state = 'idle';
  }
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
