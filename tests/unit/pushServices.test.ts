import { describe, expect, it } from 'vitest';
import { DEFAULT_PUSH_SERVICES, isLocalContact, pushEndpointAllowed } from '../../server/alerts/pushServices';

describe('push service allow-list', () => {
  it('accepts the endpoints real browsers get from their vendors', () => {
    for (const endpoint of [
      'https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91bH-example',
      'https://fcm.googleapis.com/wp/dQw4w9WgXcQ',
      'https://updates.push.services.mozilla.com/wpush/v2/gAAAAABexample',
      'https://web.push.apple.com/QGuQyavXutnMH0Rf0ZxLZf6sKjOxaexample',
      'https://wns2-par02p.notify.windows.com/w/?token=BQYAAABexample',
    ]) {
      expect(pushEndpointAllowed(endpoint, DEFAULT_PUSH_SERVICES), endpoint).toBe(true);
    }
  });

  it('refuses anything else: other hosts, look-alikes, plain http, other ports, credentials', () => {
    for (const endpoint of [
      'https://evil.example/collect',
      'https://fcm.googleapis.com.evil.example/fcm/send/x',
      'https://notfcm.googleapis.com/fcm/send/x',
      'https://push.apple.com.evil.example/x',
      'http://fcm.googleapis.com/fcm/send/x',
      'https://fcm.googleapis.com:8443/fcm/send/x',
      'https://user:pw@fcm.googleapis.com/fcm/send/x',
      'https://169.254.169.254/latest/meta-data',
      'https://127.0.0.1/x',
      'not a url',
    ]) {
      expect(pushEndpointAllowed(endpoint, DEFAULT_PUSH_SERVICES), endpoint).toBe(false);
    }
  });

  it('takes a configured list with ports', () => {
    expect(pushEndpointAllowed('https://push.example.org:8443/p/1', ['push.example.org:8443'])).toBe(true);
    expect(pushEndpointAllowed('https://push.example.org/p/1', ['push.example.org:8443'])).toBe(false);
  });

  it('knows which VAPID contacts push services refuse', () => {
    expect(isLocalContact('mailto:roomwatch@localhost')).toBe(true);
    expect(isLocalContact('https://roomwatch.localhost')).toBe(true);
    expect(isLocalContact('mailto:it@skyen.example')).toBe(false);
    expect(isLocalContact('https://roomwatch.skyen.example/contact')).toBe(false);
  });
});
