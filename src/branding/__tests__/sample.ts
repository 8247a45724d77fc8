import { IBrandingPolicy } from '../types';

/**
 * What the server publishes for the demo brand (demo/brand/brand.json), copied from a
 * running server's page config. A fresh copy per call, so tests can break it.
 */
export function demoPolicy(): IBrandingPolicy {
  return {
    enabled: true,
    error: null,
    warnings: [],
    branding: {
      name: 'Northbridge Notebooks',
      logo: {
        light: 'atrium/branding/assets/logo-light.svg?v=a1dec8b366a9',
        dark: 'atrium/branding/assets/logo-dark.svg?v=d55bb0636fd5',
        href: null
      },
      favicon: {
        idle: 'atrium/branding/assets/favicon-idle.svg?v=1f945cf11189',
        busy: 'atrium/branding/assets/favicon-busy.svg?v=5e06ff124056'
      },
      css: {
        light: {
          '--jp-accent-color0': '#7e4204',
          '--jp-accent-color1': '#b45f06',
          '--jp-atrium-on-brand-color': '#ffffff',
          '--jp-brand-color0': '#083a68',
          '--jp-brand-color1': '#0b5394'
        },
        dark: {
          '--jp-accent-color0': '#ac7d4b',
          '--jp-accent-color1': '#f6b26b',
          '--jp-atrium-on-brand-color': '#000000',
          '--jp-brand-color0': '#4e769a',
          '--jp-brand-color1': '#6fa8dc'
        }
      },
      notice: {
        id: 'cc47d7ff7d70cbdc',
        level: 'warning',
        dismissible: false,
        position: ['top', 'bottom'],
        colors: { background: '#7a4b00', text: '#ffffff' },
        plain:
          'Restricted: pseudonymised patient data. Follow the data protection rules.',
        tokens: [
          { t: 'strong', c: [{ t: 'text', v: 'Restricted:' }] },
          { t: 'text', v: ' pseudonymised patient data. Follow the ' },
          {
            t: 'link',
            href: 'https://example.org/northbridge/data-protection',
            c: [{ t: 'text', v: 'data protection rules' }]
          },
          { t: 'text', v: '.' }
        ]
      }
    }
  };
}
