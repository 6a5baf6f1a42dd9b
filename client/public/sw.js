/* Roomwatch service worker: shows alert notifications pushed by the server (Web Push). */
self.addEventListener('push', (event) => {
  let data = { title: 'Roomwatch', body: '', tag: 'roomwatch', url: '/' };
  try {
    data = { ...data, ...event.data.json() };
  } catch {
    if (event.data) data.body = event.data.text();
  }
  event.waitUntil(
    self.registration.showNotification(data.title, {
      body: data.body,
      tag: data.tag, // a newer notice of the same alert replaces the older one
      renotify: true,
      requireInteraction: /CRITICAL/.test(data.body),
      data: { url: data.url },
      icon: '/favicon.svg',
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || '/';
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((list) => {
      for (const c of list) if (new URL(c.url).pathname === url && 'focus' in c) return c.focus();
      return self.clients.openWindow(url);
    }),
  );
});
