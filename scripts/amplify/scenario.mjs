// What a client developer's app does with the chat API, through the real aws-amplify package:
// the emulator (`make test`) or a deployed stack (`make smoke-amplify`), unchanged.
//
//   AMPLIFY_CONFIG=amplify-config.json CHAT_USER_1=... CHAT_PASSWORD_1=... \
//   CHAT_USER_2=... CHAT_PASSWORD_2=... [CHAT_TOTP_CODE_1=... CHAT_TOTP_CODE_2=...] \
//   [NODE_EXTRA_CA_CERTS=ca.pem] node scenario.mjs
//
// (scripts/amplify_smoke.py sets all of this from a stack's outputs: `make smoke-amplify`.)
//
// Two users, each in an actor process of its own (actor.mjs). Waits are for events, never
// for time: subscriptions are used once Amplify reports AppSync's start_ack, and every wait
// has a generous bound (CHAT_TIMEOUT_MS, default 30 s) that only turns a hang into a failure.
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

const TIMEOUT_MS = Number(process.env.CHAT_TIMEOUT_MS || 30000);
const ACTOR = new URL('./actor.mjs', import.meta.url);
const CLIENT_ID = JSON.parse(readFileSync(process.env.AMPLIFY_CONFIG, 'utf8')).Auth.Cognito.userPoolClientId;
const users = [1, 2].map((n) => ({
  username: process.env[`CHAT_USER_${n}`],
  password: process.env[`CHAT_PASSWORD_${n}`],
  totpCode: process.env[`CHAT_TOTP_CODE_${n}`] || undefined,
}));
for (const [n, user] of users.entries()) {
  if (!user.username || !user.password) throw new Error(`set CHAT_USER_${n + 1} and CHAT_PASSWORD_${n + 1}`);
}

const MESSAGE = 'roomId messageId authorId content createdAt isEdited reactions { emoji count userIds }';
const Q = {
  createRoom: `mutation($input: CreateRoomInput!) { createRoom(input: $input) { roomId name type memberCount } }`,
  getRoom: `query($roomId: ID!) { getRoom(roomId: $roomId) { roomId name memberCount } }`,
  publicRooms: `query { listPublicRooms(limit: 100) { items { roomId } } }`,
  myRooms: `query { myRooms(limit: 100) { items { room { roomId } role } } }`,
  joinRoom: `mutation($roomId: ID!) { joinRoom(roomId: $roomId) { roomId userId role } }`,
  removeMember: `mutation($roomId: ID!, $userId: ID!) { removeMember(roomId: $roomId, userId: $userId) { roomId userId } }`,
  listMembers: `query($roomId: ID!) { listMembers(roomId: $roomId) { items { userId role } } }`,
  send: `mutation($input: SendMessageInput!) { sendMessage(input: $input) { ${MESSAGE} } }`,
  edit: `mutation($roomId: ID!, $messageId: ID!, $content: String!) { editMessage(roomId: $roomId, messageId: $messageId, content: $content) { ${MESSAGE} } }`,
  react: `mutation($roomId: ID!, $messageId: ID!, $emoji: String!) { addReaction(roomId: $roomId, messageId: $messageId, emoji: $emoji) { ${MESSAGE} } }`,
  listMessages: `query($roomId: ID!) { listMessages(roomId: $roomId, limit: 20) { items { messageId content } nextToken } }`,
  markRead: `mutation($roomId: ID!, $messageId: ID!) { markRead(roomId: $roomId, messageId: $messageId) { roomId userId lastReadMessageId } }`,
  typing: `mutation($roomId: ID!, $isTyping: Boolean!) { sendTyping(roomId: $roomId, isTyping: $isTyping) { roomId userId isTyping at } }`,
  presence: `mutation { updatePresence(status: ONLINE) { userId status lastSeen } }`,
  getPresence: `query($userIds: [ID!]!) { getPresence(userIds: $userIds) { userId status } }`,
  deleteRoom: `mutation($roomId: ID!) { deleteRoom(roomId: $roomId) { roomId deleted } }`,
  onMessageAdded: `subscription($roomId: ID!) { onMessageAdded(roomId: $roomId) { ${MESSAGE} } }`,
  onMessageUpdated: `subscription($roomId: ID!) { onMessageUpdated(roomId: $roomId) { ${MESSAGE} } }`,
  onTyping: `subscription($roomId: ID!) { onTyping(roomId: $roomId) { roomId userId isTyping at } }`,
};

class Actor {
  constructor(label) {
    this.label = label;
    this.events = [];
    this.waiters = new Set();
    this.pending = new Map();
    this.child = fork(ACTOR, { execArgv: ['--experimental-websocket', '--no-warnings'], stdio: 'inherit' });
    this.child.on('message', (message) => this.#receive(message));
    this.exited = new Promise((resolve) => this.child.on('exit', resolve));
  }

  #receive(message) {
    if (message.id && this.pending.has(message.id)) {
      const { resolve, reject } = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.ok) resolve(message.value);
      else reject(Object.assign(new Error(JSON.stringify(message.error)), { detail: message.error }));
      return;
    }
    this.events.push(message);
    for (const waiter of this.waiters) waiter();
  }

  call(op, args = {}) {
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, op, ...args });
    });
  }

  graphql(query, variables) {
    return this.call('graphql', { query, variables });
  }

  /** The first event from index `from` on that satisfies `predicate`; `signal` abandons it. */
  waitFor(predicate, what, from = 0, signal = undefined) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.slice(from).find(predicate);
        if (found) {
          cleanup();
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.label}: no ${what} within ${TIMEOUT_MS} ms; events: ${JSON.stringify(this.events.slice(from))}`));
      }, TIMEOUT_MS);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
        signal?.removeEventListener('abort', cleanup);
      };
      signal?.addEventListener('abort', cleanup);
      this.waiters.add(check);
      check();
    });
  }

  /** Subscribe and return once AppSync's start_ack reached Amplify (Hub "Subscription ack"). */
  async subscribe(name, query, variables) {
    const acks = this.events.filter(isAck).length;
    const mark = this.events.length;
    const settled = new AbortController();
    await this.call('subscribe', { name, query, variables });
    try {
      await Promise.race([
        this.waitFor(() => this.events.filter(isAck).length > acks, `start_ack for ${name}`, 0, settled.signal),
        this.waitFor((e) => e.event === 'error' && e.name === name, `error for ${name}`, mark, settled.signal).then(
          (e) => {
            throw new Error(`${name} was refused: ${JSON.stringify(e.error)}`);
          },
        ),
      ]);
    } finally {
      settled.abort();
    }
  }

  dataFor(name, from = 0) {
    return this.events.slice(from).filter((e) => e.event === 'data' && e.name === name);
  }
}

const isAck = (e) => e.event === 'hub' && e.hub.event === 'Subscription ack';
const firstError = (error) => error.detail?.errors?.[0] ?? error.detail ?? {};

let alice;
let bob;
let intruder;
const ids = {};
const marker = `amplify-${randomUUID().slice(0, 8)}`;

before(async () => {
  [alice, bob, intruder] = ['user 1', 'user 2', 'wrong password'].map((label) => new Actor(label));
  await Promise.all([alice, bob, intruder].map((actor) => actor.waitFor((e) => e.event === 'ready', 'actor start')));
});

after(async () => {
  for (const roomId of [ids.publicRoom, ids.privateRoom, ids.otherRoom].filter(Boolean)) {
    await alice.graphql(Q.deleteRoom, { roomId }).catch(() => {});
  }
  await Promise.all([alice, bob, intruder].map(async (actor) => {
    await actor.call('exit').catch(() => {});
    await actor.exited;
  }));
});

test('sign-in with SRP gives both users a session', async () => {
  const [first, second] = await Promise.all([alice.call('signIn', users[0]), bob.call('signIn', users[1])]);
  assert.equal(first.isSignedIn, true, JSON.stringify(first));
  assert.equal(second.isSignedIn, true, JSON.stringify(second));
  ids.alice = first.sub;
  ids.bob = second.sub;
  assert.notEqual(ids.alice, ids.bob);
});

test('a wrong password is refused', async () => {
  await assert.rejects(
    intruder.call('signIn', { username: users[0].username, password: `${users[0].password}-wrong` }),
    (error) => {
      assert.equal(error.detail.name, 'NotAuthorizedException', JSON.stringify(error.detail));
      return true;
    },
  );
  assert.equal(await intruder.call('session'), null);
});

test('queries and mutations: rooms, membership, messages, reactions, read state, presence', async () => {
  const room = (await alice.graphql(Q.createRoom, { input: { name: `${marker} public`, type: 'PUBLIC' } })).createRoom;
  ids.publicRoom = room.roomId;
  assert.equal(room.type, 'PUBLIC');
  const open = (await bob.graphql(Q.publicRooms)).listPublicRooms.items.map((r) => r.roomId);
  assert.ok(open.includes(room.roomId), 'the new public room is listed');
  assert.equal((await bob.graphql(Q.joinRoom, { roomId: room.roomId })).joinRoom.userId, ids.bob);
  const members = (await alice.graphql(Q.listMembers, { roomId: room.roomId })).listMembers.items;
  assert.deepEqual(members.map((m) => m.userId).sort(), [ids.alice, ids.bob].sort());
  assert.equal((await bob.graphql(Q.getRoom, { roomId: room.roomId })).getRoom.memberCount, 2);
  const mine = (await bob.graphql(Q.myRooms)).myRooms.items.map((r) => r.room.roomId);
  assert.ok(mine.includes(room.roomId), "bob's rooms include the joined room");

  const sent = (await alice.graphql(Q.send, { input: { roomId: room.roomId, content: `${marker} first` } })).sendMessage;
  assert.equal(sent.authorId, ids.alice);
  const edited = (await alice.graphql(Q.edit, { roomId: room.roomId, messageId: sent.messageId, content: `${marker} edited` })).editMessage;
  assert.equal(edited.isEdited, true);
  const reacted = (await bob.graphql(Q.react, { roomId: room.roomId, messageId: sent.messageId, emoji: '👍' })).addReaction;
  assert.deepEqual(reacted.reactions, [{ emoji: '👍', count: 1, userIds: [ids.bob] }]);
  const history = (await bob.graphql(Q.listMessages, { roomId: room.roomId })).listMessages.items;
  assert.deepEqual(history.map((m) => m.content), [`${marker} edited`]);
  const receipt = (await bob.graphql(Q.markRead, { roomId: room.roomId, messageId: sent.messageId })).markRead;
  assert.equal(receipt.lastReadMessageId, sent.messageId);
  assert.equal((await bob.graphql(Q.presence)).updatePresence.status, 'ONLINE');
  const presence = (await alice.graphql(Q.getPresence, { userIds: [ids.bob] })).getPresence;
  assert.deepEqual(presence, [{ userId: ids.bob, status: 'ONLINE' }]);
});

test('subscriptions deliver messages, edits and typing to the other user', async () => {
  const roomId = ids.publicRoom;
  await bob.subscribe('messages', Q.onMessageAdded, { roomId });
  await bob.subscribe('updates', Q.onMessageUpdated, { roomId });
  await bob.subscribe('typing', Q.onTyping, { roomId });
  const mark = bob.events.length;

  await alice.graphql(Q.typing, { roomId, isTyping: true });
  const typing = await bob.waitFor((e) => e.event === 'data' && e.name === 'typing', 'typing event', mark);
  assert.deepEqual({ ...typing.data.onTyping, at: undefined }, { roomId, userId: ids.alice, isTyping: true, at: undefined });

  const sent = (await alice.graphql(Q.send, { input: { roomId, content: `${marker} live` } })).sendMessage;
  const added = await bob.waitFor((e) => e.event === 'data' && e.name === 'messages', 'onMessageAdded', mark);
  assert.equal(added.data.onMessageAdded.messageId, sent.messageId);
  assert.equal(added.data.onMessageAdded.content, `${marker} live`);

  await alice.graphql(Q.react, { roomId, messageId: sent.messageId, emoji: '🎉' });
  const updated = await bob.waitFor((e) => e.event === 'data' && e.name === 'updates', 'onMessageUpdated', mark);
  assert.deepEqual(updated.data.onMessageUpdated.reactions, [{ emoji: '🎉', count: 1, userIds: [ids.alice] }]);
});

test('removal from a room ends the removed member\'s subscription', async () => {
  const other = (await bob.graphql(Q.createRoom, { input: { name: `${marker} other`, type: 'PRIVATE' } })).createRoom;
  ids.otherRoom = other.roomId;
  await bob.subscribe('other', Q.onMessageAdded, { roomId: other.roomId });
  await alice.graphql(Q.removeMember, { roomId: ids.publicRoom, userId: ids.bob });
  const mark = bob.events.length;
  const afterRemoval = (await alice.graphql(Q.send, { input: { roomId: ids.publicRoom, content: `${marker} after removal` } })).sendMessage;
  // Amplify multiplexes one WebSocket: once bob's later event arrives, the earlier one would have.
  const sentLater = (await bob.graphql(Q.send, { input: { roomId: other.roomId, content: `${marker} later` } })).sendMessage;
  const later = await bob.waitFor((e) => e.event === 'data' && e.name === 'other', 'the later event', mark);
  assert.equal(later.data.onMessageAdded.messageId, sentLater.messageId);
  const leaked = bob.dataFor('messages', mark).filter((e) => e.data.onMessageAdded.messageId === afterRemoval.messageId);
  assert.deepEqual(leaked, [], 'a removed member received a message of the room');
});

test('a forced token refresh gives new tokens, and the API takes them', async () => {
  const before = await bob.call('session');
  const refreshed = await bob.call('session', { forceRefresh: true });
  assert.notEqual(refreshed.accessJti, before.accessJti, 'the access token was not renewed');
  assert.equal(refreshed.sub, before.sub);
  const rooms = (await bob.graphql(Q.myRooms)).myRooms.items.map((r) => r.room.roomId);
  assert.ok(rooms.includes(ids.otherRoom));
  const mark = bob.events.length;
  const sent = (await bob.graphql(Q.send, { input: { roomId: ids.otherRoom, content: `${marker} refreshed` } })).sendMessage;
  const event = await bob.waitFor((e) => e.event === 'data' && e.name === 'other', 'event after refresh', mark);
  assert.equal(event.data.onMessageAdded.messageId, sent.messageId);
});

// Amplify closes and reopens its WebSocket after a refused subscription, so this runs late.
test('a refused query and a refused subscription carry AppSync errors', async () => {
  const room = (await alice.graphql(Q.createRoom, { input: { name: `${marker} private`, type: 'PRIVATE' } })).createRoom;
  ids.privateRoom = room.roomId;
  await assert.rejects(bob.graphql(Q.listMessages, { roomId: room.roomId }), (error) => {
    assert.equal(firstError(error).errorType, 'Unauthorized', JSON.stringify(error.detail));
    return true;
  });
  const mark = bob.events.length;
  await bob.call('subscribe', { name: 'refused', query: Q.onMessageAdded, variables: { roomId: room.roomId } });
  const refused = await bob.waitFor((e) => e.event === 'error' && e.name === 'refused', 'subscription error', mark);
  assert.match(JSON.stringify(refused.error), /Unauthorized/);
  assert.equal(bob.dataFor('refused').length, 0);
});

test('sign-out revokes the refresh token', async () => {
  const session = await bob.call('session');
  assert.ok(session.refreshToken, 'Amplify keeps a refresh token');
  await bob.call('signOut');
  assert.equal(await bob.call('session'), null, 'no session after sign-out');
  const refresh = await bob.call('cognito', {
    action: 'GetTokensFromRefreshToken',
    body: { ClientId: CLIENT_ID, RefreshToken: session.refreshToken },
  });
  assert.equal(refresh.status, 400, JSON.stringify(refresh));
  assert.equal(refresh.type, 'NotAuthorizedException', JSON.stringify(refresh));
  await assert.rejects(bob.graphql(Q.myRooms), (error) => {
    assert.match(JSON.stringify(error.detail), /NoValidAuthTokens|No current user|Unauthorized/i);
    return true;
  });
});
