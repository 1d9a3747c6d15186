/** A Radarr server entry as Seerr's settings page saves it (`POST /settings/radarr`), for the fakes' tests. */
export function seerrRadarrEntry(apiKey: string) {
  return {
    name: 'Radarr',
    hostname: 'radarr',
    port: 7878,
    apiKey,
    useSsl: false,
    baseUrl: '',
    activeProfileId: 1,
    activeProfileName: 'Any',
    activeDirectory: '/data/media/movies',
    is4k: false,
    minimumAvailability: 'released',
    isDefault: true,
  };
}
