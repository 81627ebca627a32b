import { healthSchema } from '@mmo/shared';

// Shows whether this page's server answers, so a newcomer sees `npm start` worked.
const status = document.querySelector<HTMLParagraphElement>('#status');
fetch('/health')
  .then((response) => response.json())
  .then((body: unknown) => {
    const health = healthSchema.safeParse(body);
    if (status && health.success) status.textContent += ` Health: ${health.data.status}.`;
  })
  .catch(() => {
    if (status) status.textContent = 'The server does not answer.';
  });
