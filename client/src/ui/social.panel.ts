import type { GuildPermission } from '@mmo/shared';
import type { App } from '../app.js';
import { field, formError, h, render, submitting } from './dom.js';

/** A one-field form ("name" → action) with its label, button and errors. */
function nameForm(label: string, button: string, id: string, action: (name: string) => Promise<void>): HTMLFormElement {
  const input = h('input', { name: 'name', autocomplete: 'off', id, required: true });
  const form = h('form', { class: 'inline-form' }, field(label, input), h('button', { type: 'submit' }, button), formError());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submitting(form, async () => {
      await action(input.value.trim());
      input.value = '';
    });
  });
  return form;
}

/** Runs a button's action, showing a failure as a notice. */
function act(app: App, action: () => Promise<unknown>): () => void {
  return () => void action().catch((error: unknown) => app.report(error));
}

function button(text: string, onClick: () => void, className?: string): HTMLButtonElement {
  const element = h('button', { type: 'button', class: className }, text);
  element.addEventListener('click', onClick);
  return element;
}

/** Friends with status and area, requests, blocks. */
export function friendsPanel(app: App): HTMLElement {
  const friends = h('ul', { class: 'list', 'aria-label': 'Friends' });
  const requests = h('ul', { class: 'list', 'aria-label': 'Friend requests' });
  const blocks = h('ul', { class: 'list', 'aria-label': 'Blocked characters' });
  app.store.subscribe((state, previous) => {
    if (state.friends === previous.friends && state.blocks === previous.blocks && friends.childElementCount > 0) return;
    render(
      friends,
      ...(state.friends.friends.length === 0 ? [h('li', { class: 'empty' }, 'No friends yet.')] : []),
      ...state.friends.friends.map((f) =>
        h(
          'li',
          {},
          h('span', { class: f.online ? 'online' : 'offline' }, f.character.name, h('small', {}, f.online ? ` online${f.area ? ` in ${f.area}` : ''}` : ' offline')),
          button(`Message ${f.character.name}`, act(app, () => app.openConversation(f.character.id, f.character.name))),
          button(`Remove ${f.character.name}`, act(app, async () => {
            await app.social.removeFriend(f.character.id);
            await app.refreshFriends();
          })),
        ),
      ),
    );
    render(
      requests,
      ...state.friends.requests.map((r) =>
        h(
          'li',
          {},
          h('span', {}, r.direction === 'incoming' ? `${r.character.name} asks to be friends` : `Asked ${r.character.name}`),
          r.direction === 'incoming'
            ? button(`Accept ${r.character.name}`, act(app, async () => {
                await app.social.acceptFriend(r.character.id);
                await app.refreshFriends();
              }))
            : null,
          button(r.direction === 'incoming' ? `Decline ${r.character.name}` : `Withdraw request to ${r.character.name}`, act(app, async () => {
            await app.social.declineFriend(r.character.id);
            await app.refreshFriends();
          })),
        ),
      ),
    );
    render(
      blocks,
      ...state.blocks.map((b) =>
        h('li', {}, h('span', {}, b.character.name), button(`Unblock ${b.character.name}`, act(app, async () => {
          await app.social.unblock(b.character.id);
          await app.refreshFriends();
        }))),
      ),
    );
  });
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'friends-title' },
    h('h2', { id: 'friends-title' }, 'Friends'),
    friends,
    h('h3', {}, 'Requests'),
    requests,
    nameForm('Friend name', 'Send friend request', 'friend-name', async (name) => {
      await app.social.requestFriend(name);
      await app.refreshFriends();
    }),
    h('h3', {}, 'Blocked'),
    blocks,
    nameForm('Name to block', 'Block', 'block-name', async (name) => {
      await app.social.block(name);
      await app.refreshFriends();
    }),
  );
}

/** The party frame: members with level and area, invites to answer, invite, leave, kick, promote. */
export function partyPanel(app: App): HTMLElement {
  const members = h('ul', { class: 'list party-members', 'aria-label': 'Party members' });
  const invites = h('ul', { class: 'list', 'aria-label': 'Party invites' });
  const leave = button('Leave party', act(app, () => app.leaveParty()));
  const selected = h('div', { class: 'selected-player' });
  app.store.subscribe((state, previous) => {
    if (state.selectedPlayer !== previous.selectedPlayer) {
      const name = state.selectedPlayer;
      render(
        selected,
        name
          ? h(
              'div',
              { role: 'group', 'aria-label': `Selected player ${name}` },
              h('span', {}, `Selected: ${name}`),
              button(`Invite ${name} to party`, act(app, () => app.inviteToParty(name))),
              button(`Add ${name} as friend`, act(app, async () => {
                await app.social.requestFriend(name);
                await app.refreshFriends();
                app.store.notify(`Friend request sent to ${name}.`, 'info');
              })),
              button(`Message ${name}`, () => {
                app.store.update({ chatTo: name });
                app.openChatTab('private');
              }),
              button('Clear selection', () => app.store.update({ selectedPlayer: null })),
            )
          : null,
      );
    }
    if (state.party === previous.party && state.partyInvites === previous.partyInvites && state.playing === previous.playing && members.childElementCount > 0) return;
    const me = state.playing?.id;
    const party = state.party;
    const leading = party?.leaderId === me;
    leave.hidden = !party;
    render(
      members,
      ...(party
        ? party.members.map((m) =>
            h(
              'li',
              { class: m.online ? 'online' : 'offline' },
              h('span', {}, m.id === party.leaderId ? '★ ' : '', m.name, h('small', {}, ` ${m.level} ${m.class}${m.online ? (m.area ? ` · ${m.area}` : '') : ' · offline'}`)),
              leading && m.id !== me ? button(`Make ${m.name} leader`, act(app, () => app.promoteInParty(m.id))) : null,
              leading && m.id !== me ? button(`Kick ${m.name}`, act(app, () => app.kickFromParty(m.id)), 'danger') : null,
            ),
          )
        : [h('li', { class: 'empty' }, 'Not in a party.')]),
    );
    render(
      invites,
      ...state.partyInvites.map((invite) =>
        h(
          'li',
          {},
          h('span', {}, `${invite.from.name} invites you`),
          button(`Accept party invite from ${invite.from.name}`, act(app, () => app.acceptPartyInvite(invite.id))),
          button(`Decline party invite from ${invite.from.name}`, act(app, () => app.declinePartyInvite(invite.id))),
        ),
      ),
    );
  });
  return h(
    'section',
    { class: 'panel party', 'aria-labelledby': 'party-title' },
    h('h2', { id: 'party-title' }, 'Party'),
    members,
    invites,
    selected,
    nameForm('Invite by name', 'Invite to party', 'party-invite-name', (name) => app.inviteToParty(name)),
    leave,
  );
}

/** The guild: roster with ranks, message of the day, invites; or founding one. */
export function guildPanel(app: App): HTMLElement {
  const body = h('div', {});
  const invites = h('ul', { class: 'list', 'aria-label': 'Guild invites' });
  const found = (() => {
    const name = h('input', { name: 'name', id: 'guild-name', required: true });
    const tag = h('input', { name: 'tag', id: 'guild-tag', required: true });
    const form = h('form', { class: 'inline-form' }, field('Guild name', name), field('Tag', tag), h('button', { type: 'submit' }, 'Found guild'), formError());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void submitting(form, async () => {
        await app.social.createGuild(name.value, tag.value);
        await app.refreshGuild();
      });
    });
    return form;
  })();
  const motd = h('textarea', { name: 'motd', id: 'guild-motd', rows: 2 });
  const motdForm = h('form', { class: 'inline-form' }, field('Message of the day', motd), h('button', { type: 'submit' }, 'Save message of the day'), formError());
  motdForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const guild = app.store.get().guild;
    if (!guild) return;
    void submitting(motdForm, async () => {
      await app.social.setMotd(guild.id, motd.value);
      await app.refreshGuild();
    });
  });
  const inviteForm = nameForm('Invite to guild by name', 'Invite to guild', 'guild-invite-name', async (name) => {
    const guild = app.store.get().guild;
    if (guild) await app.social.inviteToGuild(guild.id, name);
    app.store.notify(`Invited ${name} to the guild.`, 'info');
  });
  app.store.subscribe((state, previous) => {
    if (state.guild === previous.guild && state.roster === previous.roster && state.guildInvites === previous.guildInvites && body.childElementCount > 0) return;
    const guild = state.guild;
    render(
      invites,
      ...state.guildInvites.map((invite) =>
        h(
          'li',
          {},
          h('span', {}, `${invite.from.name} invites you to ${invite.guild.name}`),
          button(`Join ${invite.guild.name}`, act(app, () => app.acceptGuildInvite(invite.id))),
          button(`Decline ${invite.guild.name}`, act(app, () => app.declineGuildInvite(invite.id))),
        ),
      ),
    );
    if (!guild) {
      render(body, h('p', { class: 'empty' }, 'Not in a guild.'), found);
      return;
    }
    const ranks = new Map(guild.ranks.map((r) => [r.id, r]));
    // Offer only what the player's rank allows (the leader's rank, position 0, allows all).
    const myRank = ranks.get(state.roster.find((m) => m.id === state.playing?.id)?.rankId ?? '');
    const may = (permission: GuildPermission) => !!myRank && (myRank.position === 0 || myRank.permissions.includes(permission));
    if (document.activeElement !== motd) motd.value = guild.motd;
    render(
      body,
      h('p', { class: 'guild-name' }, `<${guild.tag}> ${guild.name}`),
      h('blockquote', { class: 'motd' }, guild.motd || 'No message of the day.'),
      h(
        'table',
        { class: 'roster' },
        h('caption', {}, `Roster (${guild.memberCount})`),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Rank'), h('th', { scope: 'col' }, 'Level'), h('th', { scope: 'col' }, 'Status'))),
        h(
          'tbody',
          {},
          ...[...state.roster]
            .sort((a, b) => (ranks.get(a.rankId)?.position ?? 99) - (ranks.get(b.rankId)?.position ?? 99))
            .map((m) => h('tr', {}, h('td', {}, m.name), h('td', {}, ranks.get(m.rankId)?.name ?? ''), h('td', {}, String(m.level)), h('td', {}, m.online ? (m.area ?? 'online') : 'offline'))),
        ),
      ),
      may('edit_motd') ? motdForm : null,
      may('invite') ? inviteForm : null,
      button('Leave guild', act(app, async () => {
        await app.social.leaveGuild(guild.id);
        await app.refreshGuild();
      }), 'danger'),
    );
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'guild-title' }, h('h2', { id: 'guild-title' }, 'Guild'), invites, body);
}

/** Conversations with their unread counts; opening one reads it into the chat's private tab. */
export function conversationsPanel(app: App): HTMLElement {
  const list = h('ul', { class: 'list', 'aria-label': 'Conversations' });
  app.store.subscribe((state, previous) => {
    if (state.conversations === previous.conversations && list.childElementCount > 0) return;
    render(
      list,
      ...(state.conversations.length === 0 ? [h('li', { class: 'empty' }, 'No conversations yet.')] : []),
      ...state.conversations.map((c) =>
        h(
          'li',
          { class: c.unread > 0 ? 'unread' : undefined },
          button(`Open conversation with ${c.with.name}`, act(app, () => app.openConversation(c.with.id, c.with.name))),
          c.unread > 0 ? h('span', { class: 'badge', 'aria-label': `${c.unread} unread` }, String(c.unread)) : null,
          h('small', {}, ` ${c.lastMessage.text ?? ''}`.slice(0, 60)),
        ),
      ),
    );
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'conversations-title' }, h('h2', { id: 'conversations-title' }, 'Conversations'), list);
}
