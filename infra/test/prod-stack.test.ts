import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { APP_PORT, HEALTH_PATH } from '../src/app.js';
import { MIN_INSTANCES } from '../src/config.js';
import { type Json, runStack, type StackRun } from './harness.js';
import { all, one } from './inspect.js';
import { describePolicies } from './policies.js';

const running = runStack('prod');
describePolicies('prod', () => running);

describe('the prod stack is scaled', () => {
  let run: StackRun;
  before(async () => {
    run = await running;
  });

  it('runs a Flexible scale set across zones 1-3 instead of a single VM', () => {
    assert.equal(all(run, 'compute:VirtualMachine').length, 0);
    const vmss = one(run, 'compute:VirtualMachineScaleSet');
    assert.equal(vmss.inputs.orchestrationMode, 'Flexible');
    assert.deepEqual(vmss.inputs.zones, ['1', '2', '3']);
    assert.equal(run.outputs.shape, 'scaled');
  });

  it('probes the route the app serves for readiness, from the balancer and the extension', () => {
    assert.ok(['/ready', '/health'].includes(HEALTH_PATH));
    assert.equal(run.outputs.healthPath, HEALTH_PATH);
    const [probe] = one(run, 'network:LoadBalancer').inputs.probes;
    assert.deepEqual(
      { protocol: probe.protocol, port: probe.port, path: probe.requestPath },
      { protocol: 'Http', port: APP_PORT, path: HEALTH_PATH },
    );
    const vmss = one(run, 'compute:VirtualMachineScaleSet');
    const [extension] = vmss.inputs.virtualMachineProfile.extensionProfile.extensions;
    assert.equal(extension.type, 'ApplicationHealthLinux');
    assert.equal(extension.settings.requestPath, HEALTH_PATH);
    assert.equal(extension.settings.port, APP_PORT);
  });

  it('balances port 80 to the app and sends the pool to the scale set', () => {
    const lb = one(run, 'network:LoadBalancer');
    assert.equal(lb.inputs.sku.name, 'Standard');
    const [rule] = lb.inputs.loadBalancingRules;
    assert.equal(rule.frontendPort, 80);
    assert.equal(rule.backendPort, APP_PORT);
    const self = `/loadBalancers/${lb.name}`;
    assert.ok(rule.probe.id.endsWith(`${self}/probes/${lb.inputs.probes[0].name}`));
    assert.ok(rule.backendAddressPool.id.endsWith(`${self}/backendAddressPools/app`));
    const vmss = one(run, 'compute:VirtualMachineScaleSet');
    const [nic] =
      vmss.inputs.virtualMachineProfile.networkProfile.networkInterfaceConfigurations;
    assert.deepEqual(nic.ipConfigurations[0].loadBalancerBackendAddressPools, [
      { id: rule.backendAddressPool.id },
    ]);
  });

  it('repairs unhealthy instances and rolls upgrades', () => {
    const vmss = one(run, 'compute:VirtualMachineScaleSet');
    assert.equal(vmss.inputs.automaticRepairsPolicy.enabled, true);
    assert.equal(vmss.inputs.upgradePolicy.mode, 'Rolling');
    assert.ok(
      vmss.inputs.upgradePolicy.rollingUpgradePolicy.maxBatchInstancePercent < 50,
    );
  });

  it('autoscales the scale set on CPU between 2 and the configured maximum', () => {
    const autoscale = one(run, 'monitor:AutoscaleSetting');
    const vmss = one(run, 'compute:VirtualMachineScaleSet');
    assert.equal(autoscale.inputs.targetResourceUri, vmss.id);
    const [profile] = autoscale.inputs.profiles;
    assert.equal(MIN_INSTANCES, 2);
    assert.equal(profile.capacity.minimum, '2');
    assert.equal(profile.capacity.maximum, '6');
    const metrics = profile.rules.map((r: Json) => r.metricTrigger.metricName);
    assert.deepEqual(metrics, ['Percentage CPU', 'Percentage CPU']);
  });

  it('sends outbound traffic through a NAT gateway, not the balancer', () => {
    const nat = one(run, 'network:NatGateway');
    const app = all(run, 'network:Subnet').find((s) => s.name === 'app');
    assert.equal(app?.inputs.natGateway.id, nat.id);
    const [rule] = one(run, 'network:LoadBalancer').inputs.loadBalancingRules;
    assert.equal(rule.disableOutboundSnat, true);
    const vmss = one(run, 'compute:VirtualMachineScaleSet');
    const [nic] =
      vmss.inputs.virtualMachineProfile.networkProfile.networkInterfaceConfigurations;
    assert.equal(nic.ipConfigurations[0].publicIPAddressConfiguration, undefined);
  });

  it('runs the database zone-redundant on a non-burstable tier', () => {
    const server = one(run, 'dbformysql:Server');
    assert.equal(server.inputs.sku.tier, 'GeneralPurpose');
    assert.equal(server.inputs.highAvailability.mode, 'ZoneRedundant');
    assert.notEqual(
      server.inputs.availabilityZone,
      server.inputs.highAvailability.standbyAvailabilityZone,
    );
  });
});
