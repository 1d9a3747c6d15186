import { CATALOG, serviceName } from '../catalog/index.js';
import { RECYCLARR_APPS } from '../catalog/recyclarr.js';
import { requirementProblems } from '../config/build.js';
import { defaultNpmEmail } from '../config/defaults.js';
import { SERVICE_IDS, type QualityProfile, type RequestManager, type ServiceId } from '../config/schema.js';
import { plexarrCommand } from '../ui/invocation.js';
import type { WizardContext } from './context.js';
import { stepHeading } from './steps.js';
import { optionalCheck, textCheck } from './validate.js';

/**
 * Step 3: which services, then only the questions the chosen ones need (request manager variant,
 * quality profile, WireGuard, proxy), and the stack admin login.
 */
export async function services(
  ctx: Pick<WizardContext, 'prompt' | 'answers' | 'defaults' | 'log' | 'saved' | 'plexTokenSaved'>,
): Promise<void> {
  const { prompt, answers, defaults, log } = ctx;
  stepHeading(log, 'Services');
  const chosen = defaults.services ?? [];
  answers.services ??= await prompt.checkbox<ServiceId>({
    name: 'services',
    message: 'Services',
    choices: SERVICE_IDS.map((id) => ({
      value: id,
      name: `${CATALOG[id].label}${CATALOG[id].note ? ` (${CATALOG[id].note})` : ''}`,
      checked: chosen.includes(id),
    })),
    validate: (ids) => (ids.length === 0 ? 'choose at least one service' : (requirementProblems(ids)[0] ?? true)),
  });
  const enabled = new Set(answers.services);

  if (enabled.has('requests')) {
    answers.requestManager ??= await prompt.select<RequestManager>({
      name: 'requestManager',
      message: 'Request manager',
      choices: [
        { value: 'seerr', name: 'Seerr (maintained successor of Overseerr)' },
        { value: 'overseerr', name: 'Overseerr (archived upstream, still supported)' },
      ],
      default: defaults.requestManager,
    });
  }
  if (RECYCLARR_APPS.some((app) => enabled.has(app))) {
    answers.qualityProfile ??= await prompt.select<QualityProfile>({
      name: 'qualityProfile',
      message: `Quality profile for ${serviceName('radarr')} and ${serviceName('sonarr')} (TRaSH guides, applied by ${serviceName('recyclarr')})`,
      choices: [
        { value: 'hd', name: 'HD (1080p Bluray + WEB)' },
        { value: 'uhd', name: 'UHD (2160p Bluray + WEB)' },
        { value: 'none', name: `none (keep the apps\u2019 own profiles; no ${serviceName('recyclarr')})` },
      ],
      default: defaults.qualityProfile,
    });
  }
  if (enabled.has('wireguard')) {
    answers.wireguardServerUrl ??= (
      await prompt.input({
        name: 'wireguardServerUrl',
        message: 'WireGuard server address ("auto" detects the public IP)',
        default: defaults.wireguardServerUrl,
        validate: textCheck('wireguardServerUrl'),
      })
    ).trim();
    answers.wireguardPeers ??= (
      await prompt.input({
        name: 'wireguardPeers',
        message: 'WireGuard peers (a number, or names separated by commas)',
        default: defaults.wireguardPeers,
        validate: textCheck('wireguardPeers'),
      })
    ).trim();
  }
  if (enabled.has('npm')) {
    if (answers.domain === undefined) {
      const domain = (
        await prompt.input({
          name: 'domain',
          message: 'Domain for TLS certificates (empty: none)',
          default: defaults.domain ?? '',
          validate: optionalCheck('domain'),
        })
      ).trim();
      if (domain) answers.domain = domain;
    }
    answers.npmEmail ??= (
      await prompt.input({
        name: 'npmEmail',
        message: 'Nginx Proxy Manager admin e-mail',
        default: defaults.npmEmail ?? defaultNpmEmail(answers.domain),
        validate: textCheck('npmEmail'),
      })
    ).trim();
  }

  answers.adminUser ??= (
    await prompt.input({
      name: 'adminUser',
      message: 'Admin user for the web UIs',
      default: defaults.adminUser,
      validate: textCheck('adminUser'),
    })
  ).trim();
  if (answers.adminPassword === undefined) {
    // The password is saved with every configuration, so a re-run has one to keep.
    const empty = ctx.saved ? 'keep the current one' : 'generate one';
    const password = await prompt.password({
      name: 'adminPassword',
      message: `Admin password (empty: ${empty})`,
      validate: optionalCheck('adminPassword'),
    });
    if (password !== '') answers.adminPassword = password;
  }
  if (enabled.has('plex') && answers.plexToken === undefined && !ctx.plexTokenSaved) {
    log.info(
      `The Plex account token is optional: with it plexarr claims your Plex server and connects ${serviceName('requests')} and ${serviceName('maintainerr')} to it.`,
    );
    log.info(
      'To get one, sign in at https://app.plex.tv and take the token from your account session (https://support.plex.tv/articles/204059436),',
    );
    log.info(`or leave it empty and add it later with \`${plexarrCommand('coordinate --plex-token <token>')}\`.`);
    const token = await prompt.password({
      name: 'plexToken',
      message: 'Plex account token (optional; empty: add it later)',
      validate: optionalCheck('plexToken'),
    });
    if (token.trim() !== '') answers.plexToken = token.trim();
  }
}
