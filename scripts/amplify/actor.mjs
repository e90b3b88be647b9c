// One signed-in user of the chat API, driven by its parent process over IPC.
//
// Amplify JS is a singleton (one signed-in user per JavaScript realm), so the scenario runs
// one actor process per user. The actor is what an app is: `Amplify.configure()` with the
// client configuration file (AMPLIFY_CONFIG), the real `aws-amplify` package, Node's own
// fetch and WebSocket (run with --experimental-websocket on Node 20), and, for a local
// emulator, NODE_EXTRA_CA_CERTS for its certificate authority. Nothing is shimmed.
//
// Requests: {id, op, ...args}; replies: {id, ok, value | error}. Subscription events and
// Amplify's Hub 'api' events are sent unprompted: {event: 'data'|'error'|'hub', ...}.
import { readFileSync } from 'node:fs';
import { Amplify } from 'aws-amplify';
import { Hub } from 'aws-amplify/utils';
import { confirmSignIn, fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { generateClient } from 'aws-amplify/api';

const config = JSON.parse(readFileSync(process.env.AMPLIFY_CONFIG, 'utf8'));

// The storage Amplify keeps tokens in, so the scenario can check what sign-out revoked.
class MemoryStorage {
  #items = new Map();
  async setItem(key, value) { this.#items.set(key, value); }
  async getItem(key) { return this.#items.get(key) ?? null; }
  async removeItem(key) { this.#items.delete(key); }
  async clear() { this.#items.clear(); }
  find(suffix) {
    for (const [key, value] of this.#items) if (key.endsWith(suffix)) return value;
    return null;
  }
}

const storage = new MemoryStorage();
Amplify.configure(config);
cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
const client = generateClient();
const subscriptions = new Map();

Hub.listen('api', ({ payload }) => {
  const { event, message } = payload;
  const data = payload.data ?? {};
  process.send({
    event: 'hub',
    hub: { event, message, connectionState: data.connectionState, variables: data.variables },
  });
});

function describe(error) {
  if (error?.errors) return { errors: error.errors.map((e) => ({ ...e, message: String(e.message) })) };
  return { name: error?.name, message: String(error?.message ?? error) };
}

async function cognitoCall(action, body) {
  const { userPoolEndpoint, userPoolId } = config.Auth.Cognito;
  const region = userPoolId.split('_')[0];
  const url = userPoolEndpoint || `https://cognito-idp.${region}.amazonaws.com/`;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${action}`,
    },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  return { status: response.status, type: answer.__type, body: answer };
}

const ops = {
  async signIn({ username, password, totpCode }) {
    let { isSignedIn, nextStep } = await signIn({ username, password });
    if (!isSignedIn && totpCode && nextStep?.signInStep === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE') {
      ({ isSignedIn, nextStep } = await confirmSignIn({ challengeResponse: totpCode }));
    }
    const session = isSignedIn ? await fetchAuthSession() : undefined;
    return { isSignedIn, step: nextStep?.signInStep, sub: session?.tokens?.accessToken?.payload?.sub };
  },
  async session({ forceRefresh = false }) {
    const { tokens } = await fetchAuthSession({ forceRefresh });
    if (!tokens) return null;
    return {
      accessJti: tokens.accessToken.payload.jti,
      accessIssuedAt: tokens.accessToken.payload.iat,
      sub: tokens.accessToken.payload.sub,
      idToken: tokens.idToken?.toString(),
      accessToken: tokens.accessToken.toString(),
      refreshToken: storage.find('.refreshToken'),
    };
  },
  async graphql({ query, variables }) {
    const result = await client.graphql({ query, variables });
    return result.data;
  },
  async subscribe({ name, query, variables }) {
    const subscription = client.graphql({ query, variables }).subscribe({
      next: (value) => process.send({ event: 'data', name, data: value.data }),
      error: (error) => process.send({ event: 'error', name, error: describe(error) }),
      complete: () => process.send({ event: 'complete', name }),
    });
    subscriptions.set(name, subscription);
    return true;
  },
  async unsubscribe({ name }) {
    subscriptions.get(name)?.unsubscribe();
    subscriptions.delete(name);
    return true;
  },
  async signOut({ global = false }) {
    await signOut({ global });
    return true;
  },
  cognito: ({ action, body }) => cognitoCall(action, body),
  async exit() {
    for (const subscription of subscriptions.values()) subscription.unsubscribe();
    setTimeout(() => process.exit(0), 50);
    return true;
  },
};

process.on('message', async ({ id, op, ...args }) => {
  try {
    process.send({ id, ok: true, value: await ops[op](args) });
  } catch (error) {
    process.send({ id, ok: false, error: describe(error) });
  }
});
process.send({ event: 'ready' });
